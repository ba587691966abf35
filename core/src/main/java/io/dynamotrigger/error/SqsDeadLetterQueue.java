package io.dynamotrigger.error;

import java.util.Map;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Dead letters sent to an SQS queue as JSON: the whole dead letter, with keys and images in DynamoDB JSON.
 * A dead letter whose JSON exceeds SQS's 256 KiB message limit is sent without its images, marked
 * {@code "imagesOmitted": true}. Message attributes {@code triggerId}, {@code table} and {@code reason}
 * allow filtering without parsing the body.
 */
public final class SqsDeadLetterQueue implements DeadLetterHandler {

	/** SQS's largest message body. */
	static final int MAX_MESSAGE_BYTES = 256 * 1024;

	private final SqsClient sqs;

	private final String queueUrl;

	/**
	 * Creates the handler.
	 * @param sqs the client to send with
	 * @param queueUrl the queue's URL
	 */
	public SqsDeadLetterQueue(SqsClient sqs, String queueUrl) {
		this.sqs = sqs;
		this.queueUrl = queueUrl;
	}

	@Override
	public void handle(DeadLetterRecord deadLetter) {
		this.sqs.sendMessage((message) -> message.queueUrl(this.queueUrl)
			.messageBody(DeadLetterJson.write(deadLetter, MAX_MESSAGE_BYTES - 1024))
			.messageAttributes(Map.of("triggerId", attribute(deadLetter.source().triggerId()), "table",
					attribute(deadLetter.source().table()), "reason", attribute(deadLetter.failure().reason().name()))));
	}

	private static MessageAttributeValue attribute(String value) {
		return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
	}

}
