package io.dynamotrigger.error;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Dead letters sent to an SQS queue as JSON: the whole dead letter, with keys and images in DynamoDB JSON.
 * A dead letter whose JSON exceeds SQS's 256 KiB message limit is kept whole in the {@link DeadLetterOverflow}
 * (an S3 bucket) and the message refers to it ({@code "overflowKey"}); without an overflow it is sent without
 * its images, marked {@code "imagesOmitted": true}. Message attributes {@code triggerId}, {@code table} and {@code reason}
 * allow filtering without parsing the body. {@link DeadLetterRedriver} reads the queue back: a message that
 * the trigger now handles is deleted; one it fails on again is sent anew with one more attempt.
 */
public final class SqsDeadLetterQueue implements DeadLetterQueue {

	private static final Logger log = LoggerFactory.getLogger(SqsDeadLetterQueue.class);

	/** SQS's largest message body. */
	static final int MAX_MESSAGE_BYTES = 256 * 1024;

	private final SqsClient sqs;

	private final String queueUrl;

	private final DeadLetterOverflow overflow;

	/**
	 * Creates the handler.
	 * @param sqs the client to send with
	 * @param queueUrl the queue's URL
	 * @param overflow where dead letters too large for a message are kept, or {@code null} to send them
	 * without images
	 */
	public SqsDeadLetterQueue(SqsClient sqs, String queueUrl, DeadLetterOverflow overflow) {
		this.sqs = sqs;
		this.queueUrl = queueUrl;
		this.overflow = overflow;
	}

	@Override
	public void prepare() {
		if (this.overflow != null) {
			this.overflow.prepare();
		}
	}

	@Override
	public void handle(DeadLetterRecord deadLetter) {
		this.sqs.sendMessage((message) -> message.queueUrl(this.queueUrl)
			.messageBody(body(deadLetter))
			.messageAttributes(Map.of("triggerId", attribute(deadLetter.source().triggerId()), "table",
					attribute(deadLetter.source().table()), "reason", attribute(deadLetter.failure().reason().name()))));
	}

	private String body(DeadLetterRecord deadLetter) {
		int maxBytes = MAX_MESSAGE_BYTES - 1024;
		if (this.overflow != null) {
			String whole = DeadLetterJson.write(deadLetter, Integer.MAX_VALUE);
			if (whole.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
				return whole;
			}
			return DeadLetterJson.writeReference(deadLetter, this.overflow.store(deadLetter));
		}
		return DeadLetterJson.write(deadLetter, maxBytes);
	}

	@Override
	public List<Received> receive(Duration hiddenFor) {
		return this.sqs
			.receiveMessage((receive) -> receive.queueUrl(this.queueUrl)
				.maxNumberOfMessages(10)
				.visibilityTimeout((int) hiddenFor.toSeconds()))
			.messages()
			.stream()
			.map((message) -> new Received(message.messageId(), message.receiptHandle(), read(message)))
			.toList();
	}

	private DeadLetterRecord read(Message message) {
		try {
			return (this.overflow != null) ? DeadLetterJson.read(message.body(), this.overflow::load)
					: DeadLetterJson.read(message.body());
		}
		catch (RuntimeException ex) {
			log.warn("Message {} in dead-letter queue {} is not a dead letter ({}); left in the queue",
					message.messageId(), this.queueUrl, ex.getMessage());
			return null;
		}
	}

	@Override
	public void delete(Received received) {
		replaced(received);
		if (this.overflow != null && received.deadLetter() != null) {
			this.overflow.delete(received.deadLetter());
		}
	}

	@Override
	public void replaced(Received received) {
		this.sqs.deleteMessage((delete) -> delete.queueUrl(this.queueUrl).receiptHandle(received.receiptHandle()));
	}

	@Override
	public void release(Received received) {
		this.sqs.changeMessageVisibility((change) -> change.queueUrl(this.queueUrl)
			.receiptHandle(received.receiptHandle())
			.visibilityTimeout(0));
	}

	private static MessageAttributeValue attribute(String value) {
		return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
	}

}
