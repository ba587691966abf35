package io.dynamotrigger.samples.sca;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * An item of the {@code order} table (Spring Cloud AWS names a table after its class).
 */
@DynamoDbBean
public class Order {

	private String orderId;

	private String customer;

	public Order() {
	}

	Order(String orderId, String customer) {
		this.orderId = orderId;
		this.customer = customer;
	}

	@DynamoDbPartitionKey
	public String getOrderId() {
		return this.orderId;
	}

	public void setOrderId(String orderId) {
		this.orderId = orderId;
	}

	public String getCustomer() {
		return this.customer;
	}

	public void setCustomer(String customer) {
		this.customer = customer;
	}

}
