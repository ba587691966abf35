package io.dynamotrigger.samples.feed;

import java.math.BigDecimal;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * An item of the {@code Orders} table.
 */
@DynamoDbBean
public class Order {

	private String orderId;

	private String customer;

	private String status;

	private BigDecimal total;

	public Order() {
	}

	Order(String orderId, String customer, String status, BigDecimal total) {
		this.orderId = orderId;
		this.customer = customer;
		this.status = status;
		this.total = total;
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

	public String getStatus() {
		return this.status;
	}

	public void setStatus(String status) {
		this.status = status;
	}

	public BigDecimal getTotal() {
		return this.total;
	}

	public void setTotal(BigDecimal total) {
		this.total = total;
	}

}
