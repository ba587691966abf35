/**
 * The read model of the running triggers, as the health indicator and the actuator endpoint report it: each
 * trigger's state, each shard's progress and what of it is stalled.
 */
package io.dynamotrigger.status;
