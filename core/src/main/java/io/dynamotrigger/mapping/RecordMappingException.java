package io.dynamotrigger.mapping;

/**
 * Thrown when a stream record's image cannot be mapped to the handler's type, for example because an
 * attribute holds a value of another type than the class declares.
 */
public class RecordMappingException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what could not be mapped, naming the type
	 * @param cause the mapper's exception
	 */
	public RecordMappingException(String message, Throwable cause) {
		super(message, cause);
	}

}
