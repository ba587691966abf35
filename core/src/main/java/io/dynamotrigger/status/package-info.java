/**
 * The read model of the running triggers, as the health indicator and the actuator endpoint report it: each
 * trigger's state and each shard's progress.
 */
package io.dynamotrigger.status;
