package io.dynamotrigger.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@LocalDynamoDbTest
class LocalDynamoDbExtensionTest {

	@Test
	void injectsTheSharedServer(LocalDynamoDb dynamoDb) {
		assertThat(dynamoDb).isSameAs(LocalDynamoDb.shared());
	}

	@Test
	void publishesEndpointRegionAndCredentialsAsSystemProperties(LocalDynamoDb dynamoDb) {
		assertThat(System.getProperty("dynamo-trigger.aws.endpoint")).isEqualTo(dynamoDb.endpoint().toString());
		assertThat(System.getProperty("dynamo-trigger.aws.region")).isEqualTo("us-east-1");
		assertThat(System.getProperty("aws.accessKeyId")).isNotBlank();
		assertThat(System.getProperty("aws.secretAccessKey")).isNotBlank();
	}

	@Test
	void keepsCredentialsThatAreAlreadySet() {
		String accessKeyId = System.getProperty("aws.accessKeyId");
		System.setProperty("aws.accessKeyId", "AKIA-developer");
		try {
			new LocalDynamoDbExtension().beforeAll(null);

			assertThat(System.getProperty("aws.accessKeyId")).isEqualTo("AKIA-developer");
		}
		finally {
			System.setProperty("aws.accessKeyId", accessKeyId);
		}
	}

}
