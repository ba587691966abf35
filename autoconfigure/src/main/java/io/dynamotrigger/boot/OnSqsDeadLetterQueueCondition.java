package io.dynamotrigger.boot;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when dead letters go to an SQS queue: {@code dynamo-trigger.dead-letter.sqs-queue-url} or a
 * trigger's {@code dynamo-trigger.triggers.<id>.dead-letter.sqs-queue-url} is set.
 */
class OnSqsDeadLetterQueueCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Binder binder = Binder.get(context.getEnvironment());
		if (StringUtils.hasText(binder.bind("dynamo-trigger.dead-letter.sqs-queue-url", String.class).orElse(null))) {
			return ConditionOutcome.match("dynamo-trigger.dead-letter.sqs-queue-url is set");
		}
		Map<String, TriggerDeadLetter> triggers = binder
			.bind("dynamo-trigger.triggers", Bindable.mapOf(String.class, TriggerDeadLetter.class))
			.orElse(Map.of());
		for (Map.Entry<String, TriggerDeadLetter> trigger : triggers.entrySet()) {
			DynamoTriggerProperties.DeadLetter deadLetter = trigger.getValue().deadLetter();
			if (deadLetter != null && StringUtils.hasText(deadLetter.sqsQueueUrl())) {
				return ConditionOutcome
					.match("dynamo-trigger.triggers." + trigger.getKey() + ".dead-letter.sqs-queue-url is set");
			}
		}
		return ConditionOutcome.noMatch("no dead-letter SQS queue URL is set");
	}

	/**
	 * The dead-letter settings of one trigger, bound without its other settings.
	 */
	record TriggerDeadLetter(DynamoTriggerProperties.DeadLetter deadLetter) {

	}

}
