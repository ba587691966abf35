package io.dynamotrigger;

import java.util.Collection;

import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * What a table's stream writes into each record, as set by the table's {@code StreamViewType}.
 * A trigger declares the view type it needs; the table's stream must carry at least that
 * ({@link #carriesAllOf}): keys only are in every record, a new or an old image in
 * {@link #NEW_AND_OLD_IMAGES} as well. The application fails to start when the stream carries less.
 */
public enum ViewType {

	/** Only the key attributes of the changed item. */
	KEYS_ONLY(StreamViewType.KEYS_ONLY, false, false),

	/** The item as it looks after the change. */
	NEW_IMAGE(StreamViewType.NEW_IMAGE, true, false),

	/** The item as it looked before the change. */
	OLD_IMAGE(StreamViewType.OLD_IMAGE, false, true),

	/** The item before and after the change. */
	NEW_AND_OLD_IMAGES(StreamViewType.NEW_AND_OLD_IMAGES, true, true);

	private final StreamViewType streamViewType;

	private final boolean newImage;

	private final boolean oldImage;

	ViewType(StreamViewType streamViewType, boolean newImage, boolean oldImage) {
		this.streamViewType = streamViewType;
		this.newImage = newImage;
		this.oldImage = oldImage;
	}

	/**
	 * Tells whether records of this view type carry the item as it looks after the change (for an
	 * {@code INSERT} or a {@code MODIFY}; a {@code REMOVE} never has one).
	 * @return {@code true} for {@link #NEW_IMAGE} and {@link #NEW_AND_OLD_IMAGES}
	 */
	public boolean carriesNewImage() {
		return this.newImage;
	}

	/**
	 * Tells whether records of this view type carry the item as it looked before the change (for a
	 * {@code MODIFY} or a {@code REMOVE}; an {@code INSERT} never has one).
	 * @return {@code true} for {@link #OLD_IMAGE} and {@link #NEW_AND_OLD_IMAGES}
	 */
	public boolean carriesOldImage() {
		return this.oldImage;
	}

	/**
	 * Tells whether records of this view type carry only the item's key attributes, no image.
	 * @return {@code true} for {@link #KEYS_ONLY}
	 */
	public boolean carriesKeysOnly() {
		return !this.newImage && !this.oldImage;
	}

	/**
	 * Tells whether records of this view type carry everything that records of the other carry, so
	 * that a trigger declaring {@code needed} can read a stream of this view type.
	 * @param needed the view type a trigger declares
	 * @return {@code true} when this view type is {@code needed} or carries more
	 */
	public boolean carriesAllOf(ViewType needed) {
		return (!needed.newImage || this.newImage) && (!needed.oldImage || this.oldImage);
	}

	/**
	 * Returns the smallest view type that carries everything each of the given ones carries: the
	 * view type a table's stream needs for all of its triggers.
	 * @param needed the view types the triggers declare, at least one
	 * @return the view type carrying all of them
	 */
	public static ViewType covering(Collection<ViewType> needed) {
		boolean newImage = needed.stream().anyMatch((viewType) -> viewType.newImage);
		boolean oldImage = needed.stream().anyMatch((viewType) -> viewType.oldImage);
		return newImage ? (oldImage ? NEW_AND_OLD_IMAGES : NEW_IMAGE) : (oldImage ? OLD_IMAGE : KEYS_ONLY);
	}

	/**
	 * Returns the DynamoDB stream view type this value stands for.
	 * @return the SDK's stream view type
	 */
	public StreamViewType streamViewType() {
		return this.streamViewType;
	}

}
