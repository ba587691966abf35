package io.dynamotrigger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ViewTypeTests {

	@Test
	void keysOnlyCarriesNoImage() {
		assertThat(ViewType.KEYS_ONLY.carriesKeysOnly()).isTrue();
		assertThat(ViewType.KEYS_ONLY.carriesNewImage()).isFalse();
		assertThat(ViewType.KEYS_ONLY.carriesOldImage()).isFalse();
	}

	@Test
	void newImageCarriesOnlyTheNewImage() {
		assertThat(ViewType.NEW_IMAGE.carriesNewImage()).isTrue();
		assertThat(ViewType.NEW_IMAGE.carriesOldImage()).isFalse();
		assertThat(ViewType.NEW_IMAGE.carriesKeysOnly()).isFalse();
	}

	@Test
	void oldImageCarriesOnlyTheOldImage() {
		assertThat(ViewType.OLD_IMAGE.carriesOldImage()).isTrue();
		assertThat(ViewType.OLD_IMAGE.carriesNewImage()).isFalse();
		assertThat(ViewType.OLD_IMAGE.carriesKeysOnly()).isFalse();
	}

	@Test
	void newAndOldImagesCarriesBothImages() {
		assertThat(ViewType.NEW_AND_OLD_IMAGES.carriesNewImage()).isTrue();
		assertThat(ViewType.NEW_AND_OLD_IMAGES.carriesOldImage()).isTrue();
		assertThat(ViewType.NEW_AND_OLD_IMAGES.carriesKeysOnly()).isFalse();
	}

}
