package io.dynamotrigger.reliability;

import java.util.Map;
import java.util.Set;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * The item class of the {@code Inputs} table, which the bad-input scenario writes items to that do not
 * all fit it. Public, as the Enhanced Client's bean schema requires.
 */
@DynamoDbBean
public class Input {

	private String key;

	private int seq;

	private Integer count;

	private String note;

	private Set<String> tags;

	private Set<Integer> numbers;

	private SdkBytes payload;

	private Set<SdkBytes> blobs;

	private Map<String, String> labels;

	/**
	 * The partition key.
	 * @return the key
	 */
	@DynamoDbPartitionKey
	public String getKey() {
		return this.key;
	}

	/**
	 * Sets the partition key.
	 * @param key the key
	 */
	public void setKey(String key) {
		this.key = key;
	}

	/**
	 * The sort key, an {@code int} although the table's sort key is any number.
	 * @return the sequence number
	 */
	@DynamoDbSortKey
	public int getSeq() {
		return this.seq;
	}

	/**
	 * Sets the sort key.
	 * @param seq the sequence number
	 */
	public void setSeq(int seq) {
		this.seq = seq;
	}

	/**
	 * A number attribute.
	 * @return the count, {@code null} when absent
	 */
	public Integer getCount() {
		return this.count;
	}

	/**
	 * Sets the number attribute.
	 * @param count the count
	 */
	public void setCount(Integer count) {
		this.count = count;
	}

	/**
	 * A string attribute.
	 * @return the note, {@code null} when absent
	 */
	public String getNote() {
		return this.note;
	}

	/**
	 * Sets the string attribute.
	 * @param note the note
	 */
	public void setNote(String note) {
		this.note = note;
	}

	/**
	 * A string set ({@code SS}).
	 * @return the tags, {@code null} when absent
	 */
	public Set<String> getTags() {
		return this.tags;
	}

	/**
	 * Sets the string set.
	 * @param tags the tags
	 */
	public void setTags(Set<String> tags) {
		this.tags = tags;
	}

	/**
	 * A number set ({@code NS}).
	 * @return the numbers, {@code null} when absent
	 */
	public Set<Integer> getNumbers() {
		return this.numbers;
	}

	/**
	 * Sets the number set.
	 * @param numbers the numbers
	 */
	public void setNumbers(Set<Integer> numbers) {
		this.numbers = numbers;
	}

	/**
	 * A binary attribute ({@code B}).
	 * @return the payload, {@code null} when absent
	 */
	public SdkBytes getPayload() {
		return this.payload;
	}

	/**
	 * Sets the binary attribute.
	 * @param payload the payload
	 */
	public void setPayload(SdkBytes payload) {
		this.payload = payload;
	}

	/**
	 * A binary set ({@code BS}).
	 * @return the blobs, {@code null} when absent
	 */
	public Set<SdkBytes> getBlobs() {
		return this.blobs;
	}

	/**
	 * Sets the binary set.
	 * @param blobs the blobs
	 */
	public void setBlobs(Set<SdkBytes> blobs) {
		this.blobs = blobs;
	}

	/**
	 * A map of strings ({@code M} whose values are {@code S}).
	 * @return the labels, {@code null} when absent
	 */
	public Map<String, String> getLabels() {
		return this.labels;
	}

	/**
	 * Sets the map of strings.
	 * @param labels the labels
	 */
	public void setLabels(Map<String, String> labels) {
		this.labels = labels;
	}

}
