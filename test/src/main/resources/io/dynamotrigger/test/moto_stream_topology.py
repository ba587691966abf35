"""Stream topology for moto server 5.2.x: shards, lineage, retention and iterator expiry.

moto serves each DynamoDB stream as one shard that never closes, with the same shard id and
sequence numbers for every table. This module replaces that model in the moto server process,
without changing moto's files, so that tests see streams shaped like the real service's:

* N open shards per stream; a record goes to the shard whose hash key range holds the MD5 of
  its partition key, so one item's changes stay in one lineage;
* a shard closes after a number of records and gets one child or splits into two, or closes
  after an age and gets one child;
* shard ids and sequence numbers are unique and increase across the process; every enabled
  stream has its own label (ARN) and shards;
* records older than the retention are trimmed; iterators expire;
* disabling a stream closes its shards, which stay readable until the retention ends;
* ListStreams lists every stream of a table, the replaced ones too, oldest first.

Record content (eventID, eventName, Keys, images, SequenceNumber, SizeBytes, view type,
ApproximateCreationDateTime) is built by moto's own StreamRecord, as without this module.

Run it in place of ``python -m moto.server``: the options below configure the topology, all
other arguments go to moto's server. Dynamo-trigger's LocalDynamoDb does this; see its docs.
"""

import argparse
import base64
import bisect
import hashlib
import json
import os
import sys
import threading
import time
from datetime import timedelta

from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.dynamodb.exceptions import StreamAlreadyEnabledException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import StreamRecord, Table
from moto.dynamodbstreams.models import DynamoDBStreamsBackend
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#"
HASH_SPACE = 1 << 128
# Splitting every full shard doubles the open shards each time; beyond this many a full shard
# rolls over to one child instead, so a long write-heavy run stays bounded.
MAX_OPEN_SHARDS = 64
DESCRIBE_LIMIT = 100
GET_RECORDS_LIMIT = 1000

# moto's server is threaded and its models are not: every entry point below holds this lock.
# It lives here, not on the models, because moto deep-copies tables (TransactWriteItems).
LOCK = threading.RLock()


class Settings:
    def __init__(self, shards=1, roll_over_records=0, roll_over_seconds=0.0, split=False,
                 retention_seconds=86400.0, iterator_expiry_seconds=900.0):
        self.shards = shards
        self.roll_over_records = roll_over_records
        self.roll_over_seconds = roll_over_seconds
        self.split = split
        self.retention_seconds = retention_seconds
        self.iterator_expiry_seconds = iterator_expiry_seconds


SETTINGS = Settings()


class StreamsError(JsonRESTError):
    def __init__(self, name, message):
        super().__init__(ERROR_PREFIX + name, message)


def not_found(message):
    return StreamsError("ResourceNotFoundException", message)


def invalid(message):
    return StreamsError("ValidationException", message)


class Identities:
    """Shard ids and sequence numbers: unique and increasing for the life of the process."""

    def __init__(self):
        self.last_millis = 0
        # 21 digits, like the service's; records of different streams never share one.
        self.last_sequence_number = 100000000000000000000

    def shard_id(self):
        self.last_millis = max(int(time.time() * 1000), self.last_millis + 1)
        return "shardId-%020d-%s" % (self.last_millis, os.urandom(4).hex())

    def sequence_number(self):
        # Gaps, as in the service: consumers must not expect consecutive numbers.
        self.last_sequence_number += 1 + int.from_bytes(os.urandom(1), "big")
        return self.last_sequence_number


IDS = Identities()


class Shard:
    def __init__(self, parent_id, low, high, created):
        self.id = IDS.shard_id()
        self.parent_id = parent_id
        self.low = low
        self.high = high
        self.created = created
        self.starting_sequence_number = IDS.sequence_number()
        self.last_sequence_number = self.starting_sequence_number
        self.ending_sequence_number = None
        self.closed_at = None
        self.sequence_numbers = []
        self.records = []
        self.created_times = []
        self.trimmed_through = None

    @property
    def is_open(self):
        return self.ending_sequence_number is None

    def holds(self, hash_value):
        return self.low <= hash_value <= self.high

    def append(self, record, now):
        sequence_number = int(record.record["dynamodb"]["SequenceNumber"])
        self.sequence_numbers.append(sequence_number)
        self.records.append(record)
        self.created_times.append(now)
        self.last_sequence_number = sequence_number

    def close(self, at):
        self.ending_sequence_number = self.last_sequence_number
        self.closed_at = at

    def trim(self, horizon):
        count = bisect.bisect_left(self.created_times, horizon)
        if count:
            self.trimmed_through = self.sequence_numbers[count - 1]
            del self.sequence_numbers[:count]
            del self.records[:count]
            del self.created_times[:count]

    def first_readable(self):
        if self.trimmed_through is None:
            return self.starting_sequence_number
        return self.trimmed_through + 1

    def is_trimmed_at(self, position):
        return self.trimmed_through is not None and position <= self.trimmed_through

    def read(self, position, limit):
        start = bisect.bisect_left(self.sequence_numbers, position)
        return self.records[start:start + limit]

    def to_json(self):
        numbers = {"StartingSequenceNumber": str(self.starting_sequence_number)}
        if self.ending_sequence_number is not None:
            numbers["EndingSequenceNumber"] = str(self.ending_sequence_number)
        shard = {"ShardId": self.id, "SequenceNumberRange": numbers}
        if self.parent_id is not None:
            shard["ParentShardId"] = self.parent_id
        return shard


class TopologyStream:
    """One stream of a table: stands in for moto's StreamShard as ``Table.stream_shard``."""

    def __init__(self, table, view_type, label, now):
        self.table = table
        self.view_type = view_type
        self.label = label
        self.arn = "%s/stream/%s" % (table.table_arn, label)
        self.created_on = utcnow()
        self.enabled = True
        width = HASH_SPACE // SETTINGS.shards
        self.shards = []
        for index in range(SETTINGS.shards):
            high = HASH_SPACE - 1 if index == SETTINGS.shards - 1 else (index + 1) * width - 1
            self.shards.append(Shard(None, index * width, high, now))

    def add(self, old, new):
        """Called by moto's put, update and delete with the item before and after."""
        with LOCK:
            now = time.time()
            self.advance(now)
            if not self.enabled:
                return
            if old is None:
                event_name = "INSERT"
            elif new is None:
                event_name = "REMOVE"
            else:
                event_name = "MODIFY"
            item = old if old is not None else new
            shard = self.shard_for(partition_hash(item))
            record = StreamRecord(self.table, self.view_type, event_name, old, new, IDS.sequence_number())
            shard.append(record, now)
            if SETTINGS.roll_over_records and len(shard.records) >= SETTINGS.roll_over_records:
                self.roll_over(shard, now, SETTINGS.split)
            self.notify_lambda(record)

    def notify_lambda(self, record):
        # moto's own StreamShard feeds Lambda event source mappings; keep that working.
        if not self.table.lambda_event_source_mappings:
            return
        from moto.awslambda.utils import get_backend

        for arn, mapping in self.table.lambda_event_source_mappings.items():
            region = arn.split(":")[3]
            get_backend(self.table.account_id, region).send_dynamodb_items(
                arn, [record], mapping.event_source_arn)

    def shard_for(self, hash_value):
        for shard in self.shards:
            if shard.is_open and shard.holds(hash_value):
                return shard
        raise AssertionError("no open shard holds hash %d" % hash_value)

    def open_shard_count(self):
        return sum(1 for shard in self.shards if shard.is_open)

    def roll_over(self, shard, at, split):
        shard.close(at)
        if split and shard.low < shard.high and self.open_shard_count() + 2 <= MAX_OPEN_SHARDS:
            middle = (shard.low + shard.high) // 2
            self.shards.append(Shard(shard.id, shard.low, middle, at))
            self.shards.append(Shard(shard.id, middle + 1, shard.high, at))
        else:
            self.shards.append(Shard(shard.id, shard.low, shard.high, at))

    def disable(self, now):
        self.advance(now)
        for shard in self.shards:
            if shard.is_open:
                shard.close(now)
        self.enabled = False

    def advance(self, now):
        """Applies what time did since the last call: roll-overs by age, then trimming."""
        if self.enabled and SETTINGS.roll_over_seconds:
            index = 0
            # Children are appended while iterating, so aged children roll over in turn.
            while index < len(self.shards):
                shard = self.shards[index]
                due = shard.created + SETTINGS.roll_over_seconds
                if shard.is_open and due <= now:
                    # The service rotates old shards to one child and splits busy ones; splitting on
                    # age too would double the shards every interval, even at rest.
                    self.roll_over(shard, due, False)
                index += 1
        horizon = now - SETTINGS.retention_seconds
        for shard in self.shards:
            shard.trim(horizon)
        # A shard closed before the horizon holds no more records: it disappears, as in the service.
        self.shards = [s for s in self.shards if s.is_open or s.closed_at >= horizon]

    def find_shard(self, shard_id):
        for shard in self.shards:
            if shard.id == shard_id:
                return shard
        raise not_found("Requested resource not found: Shard: %s in Stream: %s not found" % (shard_id, self.arn))

    def describe(self, limit, exclusive_start_shard_id, shard_filter):
        shards = self.shards
        if shard_filter:
            if shard_filter.get("Type") != "CHILD_SHARDS" or not shard_filter.get("ShardId"):
                raise invalid("ShardFilter must have Type CHILD_SHARDS and a ShardId")
            shards = [s for s in shards if s.parent_id == shard_filter["ShardId"]]
        if exclusive_start_shard_id:
            # Shard ids sort by creation, so an id that was trimmed away still marks a place.
            shards = [s for s in shards if s.id > exclusive_start_shard_id]
        page = shards[:limit]
        description = {
            "StreamArn": self.arn,
            "StreamLabel": self.label,
            "StreamStatus": "ENABLED" if self.enabled else "DISABLED",
            "StreamViewType": self.view_type,
            "CreationRequestDateTime": self.created_on,
            "TableName": self.table.name,
            "KeySchema": self.table.schema,
            "Shards": [s.to_json() for s in page],
        }
        if len(shards) > limit:
            description["LastEvaluatedShardId"] = page[-1].id
        return description


def partition_hash(item):
    key = json.dumps(item.hash_key.to_json(), sort_keys=True)
    return int.from_bytes(hashlib.md5(key.encode("utf-8")).digest(), "big")


def table_streams(table):
    streams = table.__dict__.get("_topology_streams")
    if streams is None:
        streams = table._topology_streams = {}
    return streams


# --- moto's dynamodb models --------------------------------------------------------------

def set_stream_specification(self, streams):
    with LOCK:
        enable = bool(streams) and streams.get("StreamEnabled", bool(streams.get("StreamViewType")))
        now = time.time()
        current = self.__dict__.get("stream_shard")
        if isinstance(current, TopologyStream):
            current.disable(now)
        self.stream_shard = None
        if not enable:
            self.stream_specification = {"StreamEnabled": False}
            return
        self.stream_specification = dict(streams)
        self.stream_specification["StreamEnabled"] = True
        label = utcnow().isoformat()
        while label in table_streams(self) or label == self.latest_stream_label:
            label = (utcnow() + timedelta(microseconds=1)).isoformat()
        self.latest_stream_label = label
        stream = TopologyStream(self, streams["StreamViewType"], label, now)
        table_streams(self)[label] = stream
        self.stream_shard = stream


def update_table_streams(self, table, stream_specification):
    enabling = stream_specification.get(
        "StreamEnabled", bool(stream_specification.get("StreamViewType")))
    # moto refuses once a label exists, so a disabled stream could never be enabled again.
    if enabling and table.stream_specification and table.stream_specification.get("StreamEnabled"):
        raise StreamAlreadyEnabledException
    table.set_stream_specification(stream_specification)


original_delete_table = DynamoDBBackend.delete_table


def delete_table(self, name):
    with LOCK:
        table = original_delete_table(self, name)
        # The service keeps a deleted table's streams readable until their retention ends.
        graveyard = self.__dict__.setdefault("_deleted_table_streams", {})
        for stream in table_streams(table).values():
            stream.disable(time.time())
            graveyard[stream.arn] = stream
        table.stream_shard = None
        return table


# --- moto's dynamodbstreams backend ------------------------------------------------------

def find_stream(backend, arn):
    parts = (arn or "").split(":", 5)
    resource = parts[5].split("/") if len(parts) == 6 else []
    if len(resource) == 4 and resource[0] == "table" and resource[2] == "stream":
        table = backend.dynamodb.tables.get(resource[1])
        if table is not None and resource[3] in table_streams(table):
            return table_streams(table)[resource[3]]
        deleted = backend.dynamodb.__dict__.get("_deleted_table_streams", {})
        if arn in deleted:
            return deleted[arn]
    raise not_found("Requested resource not found: Stream: %s not found" % arn)


def list_streams(self, table_name=None):
    """Every stream of each table, current, disabled and of deleted tables, oldest first per table: the
    service lists a table's replaced streams too, moto only its current one."""
    with LOCK:
        streams = []
        for table in self.dynamodb.tables.values():
            streams.extend(table_streams(table).values())
        streams.extend(self.dynamodb.__dict__.get("_deleted_table_streams", {}).values())
        listed = [stream for stream in streams if table_name is None or stream.table.name == table_name]
        listed.sort(key=lambda stream: (stream.table.name, stream.label))
        return [{"StreamArn": stream.arn, "TableName": stream.table.name, "StreamLabel": stream.label}
                for stream in listed]


def iterator_for(stream, shard, position):
    payload = json.dumps([shard.id, position, time.time()]).encode("utf-8")
    return "%s|1|%s" % (stream.arn, base64.urlsafe_b64encode(payload).decode("ascii"))


def parse_iterator(token):
    try:
        arn, version, payload = token.rsplit("|", 2)
        shard_id, position, issued = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
        if version != "1":
            raise ValueError(version)
        return arn, shard_id, int(position), float(issued)
    except (ValueError, TypeError, AttributeError):
        raise invalid("Invalid ShardIterator")


def describe_stream(self, arn, limit=None, exclusive_start_shard_id=None, shard_filter=None):
    with LOCK:
        if limit is None:
            limit = DESCRIBE_LIMIT
        if not 1 <= limit <= DESCRIBE_LIMIT:
            raise invalid("Limit must be between 1 and %d" % DESCRIBE_LIMIT)
        stream = find_stream(self, arn)
        stream.advance(time.time())
        return stream.describe(limit, exclusive_start_shard_id, shard_filter)


def get_shard_iterator(self, arn, shard_id, shard_iterator_type, sequence_number=None):
    with LOCK:
        stream = find_stream(self, arn)
        stream.advance(time.time())
        shard = stream.find_shard(shard_id)
        if shard_iterator_type == "TRIM_HORIZON":
            position = shard.first_readable()
        elif shard_iterator_type == "LATEST":
            position = shard.last_sequence_number + 1
        elif shard_iterator_type in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
            if sequence_number is None:
                raise invalid("SequenceNumber is required for ShardIteratorType " + shard_iterator_type)
            last = shard.ending_sequence_number if not shard.is_open else shard.last_sequence_number
            if not shard.starting_sequence_number <= sequence_number <= last:
                raise invalid("SequenceNumber %d is not in shard %s" % (sequence_number, shard_id))
            position = sequence_number if shard_iterator_type == "AT_SEQUENCE_NUMBER" else sequence_number + 1
            if shard.is_trimmed_at(position):
                raise StreamsError(
                    "TrimmedDataAccessException",
                    "SequenceNumber %d in shard %s is beyond the trim horizon" % (sequence_number, shard_id))
        else:
            raise invalid("Unknown ShardIteratorType: %s" % shard_iterator_type)
        return iterator_for(stream, shard, position)


def get_records(self, token, limit):
    with LOCK:
        if not 1 <= limit <= GET_RECORDS_LIMIT:
            raise invalid("Limit must be between 1 and %d" % GET_RECORDS_LIMIT)
        arn, shard_id, position, issued = parse_iterator(token)
        now = time.time()
        if now - issued > SETTINGS.iterator_expiry_seconds:
            raise StreamsError("ExpiredIteratorException", "Iterator expired. The iterator was created at "
                               "time %s while right now it is %s." % (issued, now))
        stream = find_stream(self, arn)
        stream.advance(now)
        shard = stream.find_shard(shard_id)
        if shard.is_trimmed_at(position):
            raise StreamsError("TrimmedDataAccessException",
                               "The iterator points at records of shard %s that were trimmed" % shard_id)
        records = shard.read(position, limit)
        if records:
            position = int(records[-1].record["dynamodb"]["SequenceNumber"]) + 1
        result = {"Records": [r.to_json() for r in records]}
        # A closed shard ends once nothing is left after the position, also when it closed empty (its
        # ending sequence number is then its starting one, which no record has).
        if shard.is_open or shard.read(position, 1):
            result["NextShardIterator"] = iterator_for(stream, shard, position)
        return result


# --- moto's dynamodbstreams responses ----------------------------------------------------

def handle_describe_stream(self):
    stream = self.backend.describe_stream(
        self._get_param("StreamArn"), self._get_param("Limit"),
        self._get_param("ExclusiveStartShardId"), self._get_param("ShardFilter"))
    return ActionResult({"StreamDescription": stream})


def handle_get_shard_iterator(self):
    sequence_number = self._get_param("SequenceNumber")
    if sequence_number is not None:
        try:
            sequence_number = int(sequence_number)
        except ValueError:
            raise invalid("SequenceNumber is not a number: %s" % sequence_number)
    token = self.backend.get_shard_iterator(
        self._get_param("StreamArn"), self._get_param("ShardId"),
        self._get_param("ShardIteratorType"), sequence_number)
    return ActionResult({"ShardIterator": token})


def handle_get_records(self):
    limit = self._get_param("Limit")
    result = self.backend.get_records(self._get_param("ShardIterator"),
                                      GET_RECORDS_LIMIT if limit is None else limit)
    return ActionResult(result)


def install(settings):
    global SETTINGS
    SETTINGS = settings
    Table.set_stream_specification = set_stream_specification
    DynamoDBBackend.update_table_streams = update_table_streams
    DynamoDBBackend.delete_table = delete_table
    DynamoDBStreamsBackend.describe_stream = describe_stream
    DynamoDBStreamsBackend.list_streams = list_streams
    DynamoDBStreamsBackend.get_shard_iterator = get_shard_iterator
    DynamoDBStreamsBackend.get_records = get_records
    DynamoDBStreamsHandler.describe_stream = handle_describe_stream
    DynamoDBStreamsHandler.get_shard_iterator = handle_get_shard_iterator
    DynamoDBStreamsHandler.get_records = handle_get_records


def main(argv):
    parser = argparse.ArgumentParser(description="moto server with a DynamoDB Streams topology")
    parser.add_argument("--stream-shards", type=int, default=1)
    parser.add_argument("--stream-roll-over-records", type=int, default=0)
    parser.add_argument("--stream-roll-over-seconds", type=float, default=0.0)
    parser.add_argument("--stream-roll-over", choices=["one-child", "split"], default="one-child")
    parser.add_argument("--stream-retention-seconds", type=float, default=86400.0)
    parser.add_argument("--stream-iterator-expiry-seconds", type=float, default=900.0)
    options, server_arguments = parser.parse_known_args(argv)
    if options.stream_shards < 1:
        parser.error("--stream-shards must be at least 1")
    install(Settings(
        shards=options.stream_shards,
        roll_over_records=options.stream_roll_over_records,
        roll_over_seconds=options.stream_roll_over_seconds,
        split=options.stream_roll_over == "split",
        retention_seconds=options.stream_retention_seconds,
        iterator_expiry_seconds=options.stream_iterator_expiry_seconds,
    ))
    from moto.server import main as moto_main

    moto_main(server_arguments)


if __name__ == "__main__":
    main(sys.argv[1:])
