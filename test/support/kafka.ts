/**
 * Kafka for the suite: KAFKA_BROKERS when given, else the project's broker
 * script. Filled in by the messaging work; until the script exists tests that
 * need Kafka read TEST_KAFKA_BROKERS and skip when it is empty.
 */
export async function startKafkaForTests(_root: string): Promise<void> {
  if (process.env.KAFKA_BROKERS) process.env.TEST_KAFKA_BROKERS = process.env.KAFKA_BROKERS;
}
