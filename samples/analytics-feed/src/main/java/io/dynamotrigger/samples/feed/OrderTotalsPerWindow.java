package io.dynamotrigger.samples.feed;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.WindowContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The windowed trigger: per window of time ({@code analytics-feed.window}, one minute by default) and shard,
 * how many orders were placed and their total. The state is a record, kept with the shard's checkpoint, so a
 * restart in the middle of a minute goes on with the minute's totals so far. When a window closes its final
 * totals are published, here to a map and the log; the final call is made at least once, so publishing is
 * keyed by window and shard (a repeat overwrites, it does not add).
 */
class OrderTotalsPerWindow {

	private static final Logger log = LoggerFactory.getLogger(OrderTotalsPerWindow.class);

	private final Map<String, Published> published = new ConcurrentHashMap<>();

	@DynamoTrigger(table = "Orders", events = EventType.INSERT, window = "${analytics-feed.window}")
	OrderTotals perWindow(List<ItemChange<Order>> placed, OrderTotals totals, WindowContext window) {
		if (window.finalInvokeForWindow()) {
			this.published.put(window.windowStart() + " " + window.shardId(), new Published(window.windowStart(), totals));
			log.info("Window {} to {} of shard {}: {} order(s) placed, total {}", window.windowStart(),
					window.windowEnd(), window.shardId(), totals.orders(), totals.total());
			return totals;
		}
		OrderTotals next = (totals != null) ? totals : new OrderTotals(0, BigDecimal.ZERO);
		for (ItemChange<Order> change : placed) {
			next = new OrderTotals(next.orders() + 1, next.total().add(change.newImage().getTotal()));
		}
		return next;
	}

	/**
	 * Returns the published totals, the shards' summed per window.
	 * @return totals by window start
	 */
	Map<Instant, OrderTotals> totalsByWindow() {
		Map<Instant, OrderTotals> byWindow = new TreeMap<>();
		this.published.values().forEach((one) -> byWindow.merge(one.windowStart(), one.totals(), OrderTotals::plus));
		return byWindow;
	}

	/**
	 * The totals of a window.
	 * @param orders how many orders were placed
	 * @param total their total
	 */
	record OrderTotals(int orders, BigDecimal total) {

		OrderTotals plus(OrderTotals other) {
			return new OrderTotals(this.orders + other.orders, this.total.add(other.total));
		}

	}

	private record Published(Instant windowStart, OrderTotals totals) {
	}

}
