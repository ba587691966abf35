package io.dynamotrigger.test;

import java.net.ConnectException;
import java.net.Socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LocalDynamoDbStartTest {

	@Test
	void startLaunchesAServerSeparateFromTheSharedOne() {
		try (LocalDynamoDb own = LocalDynamoDb.start()) {
			assertThat(own.port()).isNotEqualTo(LocalDynamoDb.shared().port());
			assertThat(own.endpoint()).hasToString("http://127.0.0.1:" + own.port());
		}
	}

	@Test
	void closeStopsTheServer() {
		LocalDynamoDb own = LocalDynamoDb.start();

		own.close();

		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> new Socket("127.0.0.1", own.port()).close());
	}

	@Test
	void closeLeavesTheSharedServerRunning() throws Exception {
		LocalDynamoDb shared = LocalDynamoDb.shared();

		shared.close();

		new Socket("127.0.0.1", shared.port()).close();
		assertThat(LocalDynamoDb.shared()).isSameAs(shared);
	}

}
