package io.dynamotrigger;

import java.util.List;

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

	@Test
	void aStreamCarriesWhatATriggerNeedsWhenItCarriesTheSameOrMore() {
		assertThat(ViewType.values()).allMatch((viewType) -> viewType.carriesAllOf(ViewType.KEYS_ONLY))
			.allMatch((viewType) -> viewType.carriesAllOf(viewType));
		assertThat(ViewType.NEW_AND_OLD_IMAGES.carriesAllOf(ViewType.NEW_IMAGE)).isTrue();
		assertThat(ViewType.NEW_AND_OLD_IMAGES.carriesAllOf(ViewType.OLD_IMAGE)).isTrue();
	}

	@Test
	void aStreamCarryingLessOrAnotherImageDoesNotCarryWhatATriggerNeeds() {
		assertThat(ViewType.KEYS_ONLY.carriesAllOf(ViewType.NEW_IMAGE)).isFalse();
		assertThat(ViewType.KEYS_ONLY.carriesAllOf(ViewType.OLD_IMAGE)).isFalse();
		assertThat(ViewType.NEW_IMAGE.carriesAllOf(ViewType.OLD_IMAGE)).isFalse();
		assertThat(ViewType.OLD_IMAGE.carriesAllOf(ViewType.NEW_IMAGE)).isFalse();
		assertThat(ViewType.NEW_IMAGE.carriesAllOf(ViewType.NEW_AND_OLD_IMAGES)).isFalse();
		assertThat(ViewType.OLD_IMAGE.carriesAllOf(ViewType.NEW_AND_OLD_IMAGES)).isFalse();
	}

	@Test
	void theViewTypeCoveringSeveralTriggersCarriesEachOnesNeeds() {
		assertThat(ViewType.covering(List.of(ViewType.KEYS_ONLY))).isEqualTo(ViewType.KEYS_ONLY);
		assertThat(ViewType.covering(List.of(ViewType.KEYS_ONLY, ViewType.NEW_IMAGE))).isEqualTo(ViewType.NEW_IMAGE);
		assertThat(ViewType.covering(List.of(ViewType.OLD_IMAGE, ViewType.KEYS_ONLY))).isEqualTo(ViewType.OLD_IMAGE);
		assertThat(ViewType.covering(List.of(ViewType.NEW_IMAGE, ViewType.OLD_IMAGE)))
			.isEqualTo(ViewType.NEW_AND_OLD_IMAGES);
	}

}
