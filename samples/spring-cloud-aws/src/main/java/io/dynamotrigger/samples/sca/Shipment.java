package io.dynamotrigger.samples.sca;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * An item of the {@code shipment} table: one per new order, written by the trigger.
 */
@DynamoDbBean
public class Shipment {

	private String orderId;

	private String address;

	public Shipment() {
	}

	Shipment(String orderId, String address) {
		this.orderId = orderId;
		this.address = address;
	}

	@DynamoDbPartitionKey
	public String getOrderId() {
		return this.orderId;
	}

	public void setOrderId(String orderId) {
		this.orderId = orderId;
	}

	public String getAddress() {
		return this.address;
	}

	public void setAddress(String address) {
		this.address = address;
	}

}
