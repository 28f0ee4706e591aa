import { describeMessageBusContract } from '../testing/message-bus.contract';
import { KafkaMessageBus } from './kafka-message-bus';

const brokers = (process.env.TEST_KAFKA_BROKERS ?? '').split(',').filter((broker) => broker !== '');

if (brokers.length === 0) {
  describe.skip('message bus contract: Kafka (TEST_KAFKA_BROKERS is empty)', () => {
    it.todo('runs against a broker');
  });
} else {
  describeMessageBusContract(
    'Kafka',
    async () => new KafkaMessageBus({ brokers, clientId: 'contract-suite' }),
  );
}
