package io.dynamotrigger.boot;

import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;

/**
 * Counts the GetRecords requests a DynamoDB Streams client sends, on the wire: independent of
 * dynamo-trigger's own counts.
 */
final class GetRecordsCounter implements ExecutionInterceptor {

	private final AtomicLong sent = new AtomicLong();

	@Override
	public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
		if (context.request() instanceof GetRecordsRequest) {
			this.sent.incrementAndGet();
		}
	}

	long sent() {
		return this.sent.get();
	}

}
