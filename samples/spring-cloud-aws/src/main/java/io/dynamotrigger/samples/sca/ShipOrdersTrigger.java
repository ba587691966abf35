package io.dynamotrigger.samples.sca;

import io.awspring.cloud.dynamodb.DynamoDbTemplate;
import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ViewType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trigger: each new order gets a shipment, written with Spring Cloud AWS's {@link DynamoDbTemplate}.
 */
class ShipOrdersTrigger {

	private static final Logger log = LoggerFactory.getLogger(ShipOrdersTrigger.class);

	private final DynamoDbTemplate dynamoDb;

	ShipOrdersTrigger(DynamoDbTemplate dynamoDb) {
		this.dynamoDb = dynamoDb;
	}

	@DynamoTrigger(table = "order", viewType = ViewType.NEW_IMAGE, events = EventType.INSERT)
	void onNewOrder(Order order) {
		this.dynamoDb.save(new Shipment(order.getOrderId(), order.getCustomer() + "'s address"));
		log.info("Shipment for order {} of {}", order.getOrderId(), order.getCustomer());
	}

}
