import { ValidationError } from '@observe/core';

import { OutgoingMessage, SubscribeOptions } from './message-bus.port';

// Kafka's own rule, applied to both adapters so that the in-process mode
// accepts nothing that Kafka would refuse.
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function assertTopicName(topic: string, field = 'topic'): void {
  if (TOPIC_NAME.test(topic) && topic !== '.' && topic !== '..') return;
  throw new ValidationError(`invalid topic name ${JSON.stringify(topic)}`, [
    { field, message: 'use 1 to 249 of a-z, A-Z, 0-9, ".", "_" and "-"' },
  ]);
}

export function assertPartitionCount(partitions: number): void {
  if (Number.isInteger(partitions) && partitions >= 1) return;
  throw new ValidationError(`invalid partition count ${partitions}`, [
    { field: 'partitions', message: 'must be a whole number of at least 1' },
  ]);
}

export function assertMessages(topic: string, messages: OutgoingMessage[]): void {
  assertTopicName(topic);
  messages.forEach((message, index) => {
    const valueOk = typeof message.value === 'string' || Buffer.isBuffer(message.value);
    if (typeof message.key !== 'string') {
      throw new ValidationError('a message key must be a string', [
        { field: `messages[${index}].key`, message: 'must be a string' },
      ]);
    }
    if (!valueOk) {
      throw new ValidationError('a message value must be a string or a Buffer', [
        { field: `messages[${index}].value`, message: 'must be a string or a Buffer' },
      ]);
    }
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (typeof value === 'string') continue;
      throw new ValidationError(`header ${name} must be a string`, [
        { field: `messages[${index}].headers.${name}`, message: 'must be a string' },
      ]);
    }
  });
}

export function assertSubscription(options: SubscribeOptions): void {
  assertTopicName(options.topic);
  if (options.deadLetterTopic !== undefined)
    assertTopicName(options.deadLetterTopic, 'deadLetterTopic');
  if (options.groupId.trim() === '') {
    throw new ValidationError('a subscription needs a group id', [
      { field: 'groupId', message: 'required' },
    ]);
  }
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ValidationError(`invalid concurrency ${concurrency}`, [
      { field: 'concurrency', message: 'must be a whole number of at least 1' },
    ]);
  }
  const maxBatchSize = options.maxBatchSize ?? 1;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new ValidationError(`invalid batch size ${maxBatchSize}`, [
      { field: 'maxBatchSize', message: 'must be a whole number of at least 1' },
    ]);
  }
}
