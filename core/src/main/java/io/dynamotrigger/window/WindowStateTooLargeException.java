package io.dynamotrigger.window;

/**
 * A window method returned a state whose JSON is larger than {@link WindowFunction#MAX_STATE_BYTES}: the call
 * counts as failed, so the trigger's error policy calls it again and in the end dead-letters the call's
 * records; the window keeps the state it had before.
 */
public final class WindowStateTooLargeException extends RuntimeException {

	WindowStateTooLargeException(String methodName, int bytes) {
		super("The window state returned by " + methodName + " is " + bytes + " bytes as JSON; at most "
				+ WindowFunction.MAX_STATE_BYTES + " are kept (it is saved in one DynamoDB item). Keep less in the"
				+ " state (aggregates rather than records), or use a shorter window.");
	}

}
