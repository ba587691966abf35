package io.dynamotrigger.config;

/**
 * Takes the application's triggers: once all singletons exist, the
 * {@link DynamoTriggerAnnotationBeanPostProcessor} registers each {@code @DynamoTrigger} method's endpoint
 * with the application's one bean of this type. The starter's {@code TriggerRegistry} reads the tables'
 * streams for them; the Lambda module's router is handed the records instead.
 */
public interface TriggerEndpointRegistrar {

	/**
	 * Registers a trigger.
	 * @param endpoint the trigger
	 * @throws IllegalStateException if a trigger with the same id is registered
	 */
	void register(TriggerEndpoint endpoint);

}
