package io.dynamotrigger.error;

import java.nio.charset.StandardCharsets;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Dead letters too large for a DynamoDB item or an SQS message, kept whole as JSON objects in an S3 bucket
 * (keys and images in DynamoDB JSON, as in the SQS form).
 */
public final class S3DeadLetterOverflow implements DeadLetterOverflow {

	private final S3Client s3;

	private final String bucket;

	/**
	 * Creates the overflow.
	 * @param s3 the client to write with
	 * @param bucket the bucket, which must exist
	 */
	public S3DeadLetterOverflow(S3Client s3, String bucket) {
		this.s3 = s3;
		this.bucket = bucket;
	}

	@Override
	public void prepare() {
		try {
			this.s3.headBucket((head) -> head.bucket(this.bucket));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() != 404) {
				throw ex;
			}
			throw new IllegalStateException("S3 bucket '" + this.bucket + "' for dead letters too large for their"
					+ " destination (dynamo-trigger.dead-letter.s3-bucket) does not exist. Create it, or remove the"
					+ " property.", ex);
		}
	}

	@Override
	public String store(DeadLetterRecord deadLetter) {
		String key = DeadLetterOverflow.keyOf(deadLetter);
		this.s3.putObject((put) -> put.bucket(this.bucket).key(key).contentType("application/json"),
				RequestBody.fromString(DeadLetterJson.write(deadLetter, Integer.MAX_VALUE), StandardCharsets.UTF_8));
		return key;
	}

	@Override
	public DeadLetterRecord load(String key) {
		return DeadLetterJson.read(this.s3.getObjectAsBytes((get) -> get.bucket(this.bucket).key(key)).asUtf8String());
	}

	@Override
	public void delete(DeadLetterRecord deadLetter) {
		this.s3.deleteObject((delete) -> delete.bucket(this.bucket).key(DeadLetterOverflow.keyOf(deadLetter)));
	}

	@Override
	public String location() {
		return "s3://" + this.bucket;
	}

}
