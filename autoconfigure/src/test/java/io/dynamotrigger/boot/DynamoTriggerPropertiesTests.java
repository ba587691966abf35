package io.dynamotrigger.boot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the properties bind.
 */
class DynamoTriggerPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class);

	@Test
	void aTriggersSingleFilterPatternBindsAsOnePatternThoughItHasCommas() {
		this.runner.withPropertyValues("dynamo-trigger.triggers.audit.filter={\"eventName\": [\"INSERT\", \"MODIFY\"]}")
			.run((context) -> assertThat(properties(context).triggers().get("audit").filter())
				.containsExactly("{\"eventName\": [\"INSERT\", \"MODIFY\"]}"));
	}

	@Test
	void aTriggersFilterPatternsBindAsAList() {
		this.runner
			.withPropertyValues("dynamo-trigger.triggers.audit.filter[0]={\"eventName\": [\"INSERT\"]}",
					"dynamo-trigger.triggers.audit.filter[1]={\"eventName\": [\"REMOVE\"]}")
			.run((context) -> assertThat(properties(context).triggers().get("audit").filter())
				.containsExactly("{\"eventName\": [\"INSERT\"]}", "{\"eventName\": [\"REMOVE\"]}"));
	}

	@Test
	void aTableWithoutPollingSettingsHasNoPollingOfItsOwn() {
		this.runner.withPropertyValues("dynamo-trigger.tables.Reviews.concurrency=2")
			.run((context) -> assertThat(properties(context).tables().get("Reviews").polling()).isNull());
	}

	/**
	 * Boot ignores properties that bind to nothing, so a removed trigger setting would be dropped silently:
	 * the settings check rejects it instead (ConsumerSettingsFactoryTests).
	 */
	@Test
	void bindingAloneIgnoresATriggerSettingThatDoesNotExist() {
		this.runner.withPropertyValues("dynamo-trigger.triggers.audit.concurrency=6")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static DynamoTriggerProperties properties(ApplicationContext context) {
		return context.getBean(DynamoTriggerProperties.class);
	}

	@EnableConfigurationProperties(DynamoTriggerProperties.class)
	static class PropertiesOnly {

	}

}
