package io.dynamotrigger;

import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * What a table's stream writes into each record, as set by the table's {@code StreamViewType}.
 * A trigger declares the view type it expects; the application fails to start when the table's
 * stream uses another one.
 */
public enum ViewType {

	/** Only the key attributes of the changed item. */
	KEYS_ONLY(StreamViewType.KEYS_ONLY),

	/** The item as it looks after the change. */
	NEW_IMAGE(StreamViewType.NEW_IMAGE),

	/** The item as it looked before the change. */
	OLD_IMAGE(StreamViewType.OLD_IMAGE),

	/** The item before and after the change. */
	NEW_AND_OLD_IMAGES(StreamViewType.NEW_AND_OLD_IMAGES);

	private final StreamViewType streamViewType;

	ViewType(StreamViewType streamViewType) {
		this.streamViewType = streamViewType;
	}

	/**
	 * Returns the DynamoDB stream view type this value stands for.
	 * @return the SDK's stream view type
	 */
	public StreamViewType streamViewType() {
		return this.streamViewType;
	}

}
