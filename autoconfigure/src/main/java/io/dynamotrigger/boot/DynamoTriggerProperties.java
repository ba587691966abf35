package io.dynamotrigger.boot;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dynamotrigger.listener.StartingPosition;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of dynamo-trigger, under {@code dynamo-trigger.*}.
 */
@ConfigurationProperties("dynamo-trigger")
public class DynamoTriggerProperties {

	/** Whether triggers run at all. */
	private boolean enabled = true;

	/**
	 * Prefix of the lease table names: a table's lease table is {@code <application-name>-<table>}. Defaults
	 * to {@code spring.application.name}, or "dynamo-trigger" when that is not set.
	 */
	private String applicationName;

	/** Lease table name per table name, overriding the derived name. */
	private Map<String, String> leaseTables = new LinkedHashMap<>();

	/** Where a trigger without a checkpoint starts reading its stream. */
	private StartingPosition startingPosition = StartingPosition.TRIM_HORIZON;

	/** Pause between two reads of a shard that returned records; twice that after an empty read. */
	private Duration pollInterval = Duration.ofMillis(250);

	/**
	 * Short lease, failover and leader-lock times (seconds instead of minutes): faster start and takeover for
	 * tests and local runs, at the cost of more DynamoDB requests. Keep off in production fleets.
	 */
	private boolean fastFailover;

	/** How long a graceful stop may take before the consumers are stopped at once. */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	private final Aws aws = new Aws();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getApplicationName() {
		return this.applicationName;
	}

	public void setApplicationName(String applicationName) {
		this.applicationName = applicationName;
	}

	public Map<String, String> getLeaseTables() {
		return this.leaseTables;
	}

	public void setLeaseTables(Map<String, String> leaseTables) {
		this.leaseTables = leaseTables;
	}

	public StartingPosition getStartingPosition() {
		return this.startingPosition;
	}

	public void setStartingPosition(StartingPosition startingPosition) {
		this.startingPosition = startingPosition;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public boolean isFastFailover() {
		return this.fastFailover;
	}

	public void setFastFailover(boolean fastFailover) {
		this.fastFailover = fastFailover;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Aws getAws() {
		return this.aws;
	}

	/**
	 * Where the AWS clients that dynamo-trigger builds connect. Client beans of the application win.
	 */
	public static class Aws {

		/**
		 * Endpoint of DynamoDB and DynamoDB Streams, e.g. a local endpoint; unset for AWS. A loopback endpoint
		 * is signed with dummy credentials.
		 */
		private URI endpoint;

		/** Region; unset for the SDK's default region chain. */
		private String region;

		public URI getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(URI endpoint) {
			this.endpoint = endpoint;
		}

		public String getRegion() {
			return this.region;
		}

		public void setRegion(String region) {
			this.region = region;
		}

	}

}
