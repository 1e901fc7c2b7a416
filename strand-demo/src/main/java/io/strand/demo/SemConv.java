package io.strand.demo;

import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * OpenTelemetry semantic-convention attribute keys used by the demo.
 *
 * <p>Declared locally rather than taken from the semconv artifacts because several of them
 * (gen_ai, db.statement, messaging.kafka) only exist in the incubating module, which would be a
 * dependency for a handful of strings.
 */
final class SemConv {
  private SemConv() {}

  // Resource
  static final AttributeKey<String> SERVICE_NAME = stringKey("service.name");
  static final AttributeKey<String> SERVICE_NAMESPACE = stringKey("service.namespace");
  static final AttributeKey<String> SERVICE_VERSION = stringKey("service.version");
  static final AttributeKey<String> SERVICE_INSTANCE_ID = stringKey("service.instance.id");
  static final AttributeKey<String> DEPLOYMENT_ENVIRONMENT = stringKey("deployment.environment");
  static final AttributeKey<String> DEPLOYMENT_ENVIRONMENT_NAME =
      stringKey("deployment.environment.name");
  static final AttributeKey<String> HOST_NAME = stringKey("host.name");
  static final AttributeKey<String> HOST_ARCH = stringKey("host.arch");
  static final AttributeKey<String> OS_TYPE = stringKey("os.type");
  static final AttributeKey<String> K8S_NAMESPACE_NAME = stringKey("k8s.namespace.name");
  static final AttributeKey<String> K8S_POD_NAME = stringKey("k8s.pod.name");
  static final AttributeKey<String> K8S_DEPLOYMENT_NAME = stringKey("k8s.deployment.name");
  static final AttributeKey<String> CLOUD_PROVIDER = stringKey("cloud.provider");
  static final AttributeKey<String> CLOUD_REGION = stringKey("cloud.region");

  // HTTP, URL and network
  static final AttributeKey<String> HTTP_REQUEST_METHOD = stringKey("http.request.method");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = longKey("http.response.status_code");
  static final AttributeKey<String> HTTP_ROUTE = stringKey("http.route");
  static final AttributeKey<Long> HTTP_REQUEST_BODY_SIZE = longKey("http.request.body.size");
  static final AttributeKey<Long> HTTP_RESPONSE_BODY_SIZE = longKey("http.response.body.size");
  static final AttributeKey<String> URL_FULL = stringKey("url.full");
  static final AttributeKey<String> URL_PATH = stringKey("url.path");
  static final AttributeKey<String> URL_QUERY = stringKey("url.query");
  static final AttributeKey<String> URL_SCHEME = stringKey("url.scheme");
  static final AttributeKey<String> URL_TEMPLATE = stringKey("url.template");
  static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = stringKey("client.address");
  static final AttributeKey<String> NETWORK_PEER_ADDRESS = stringKey("network.peer.address");
  static final AttributeKey<Long> NETWORK_PEER_PORT = longKey("network.peer.port");
  static final AttributeKey<String> NETWORK_PROTOCOL_VERSION =
      stringKey("network.protocol.version");
  static final AttributeKey<String> USER_AGENT_ORIGINAL = stringKey("user_agent.original");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

  // RPC
  static final AttributeKey<String> RPC_SYSTEM = stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = stringKey("rpc.method");
  static final AttributeKey<Long> RPC_GRPC_STATUS_CODE = longKey("rpc.grpc.status_code");
  static final AttributeKey<List<String>> RPC_GRPC_USER_AGENT =
      stringArrayKey("rpc.grpc.request.metadata.user-agent");

  // Databases
  static final AttributeKey<String> DB_SYSTEM = stringKey("db.system");
  static final AttributeKey<String> DB_NAME = stringKey("db.name");
  static final AttributeKey<String> DB_STATEMENT = stringKey("db.statement");
  static final AttributeKey<String> DB_OPERATION = stringKey("db.operation");
  static final AttributeKey<String> DB_SQL_TABLE = stringKey("db.sql.table");
  static final AttributeKey<String> DB_USER = stringKey("db.user");
  static final AttributeKey<Long> DB_RESPONSE_RETURNED_ROWS = longKey("db.response.returned_rows");

  // Messaging
  static final AttributeKey<String> MESSAGING_SYSTEM = stringKey("messaging.system");
  static final AttributeKey<String> MESSAGING_DESTINATION_NAME =
      stringKey("messaging.destination.name");
  static final AttributeKey<String> MESSAGING_DESTINATION_PARTITION_ID =
      stringKey("messaging.destination.partition.id");
  static final AttributeKey<String> MESSAGING_OPERATION_TYPE =
      stringKey("messaging.operation.type");
  static final AttributeKey<String> MESSAGING_OPERATION_NAME =
      stringKey("messaging.operation.name");
  static final AttributeKey<String> MESSAGING_CLIENT_ID = stringKey("messaging.client.id");
  static final AttributeKey<String> MESSAGING_CONSUMER_GROUP_NAME =
      stringKey("messaging.consumer.group.name");
  static final AttributeKey<String> MESSAGING_MESSAGE_ID = stringKey("messaging.message.id");
  static final AttributeKey<Long> MESSAGING_MESSAGE_BODY_SIZE =
      longKey("messaging.message.body.size");
  static final AttributeKey<String> MESSAGING_KAFKA_MESSAGE_KEY =
      stringKey("messaging.kafka.message.key");
  static final AttributeKey<Long> MESSAGING_KAFKA_OFFSET = longKey("messaging.kafka.offset");

  // Generative AI
  static final AttributeKey<String> GEN_AI_SYSTEM = stringKey("gen_ai.system");
  static final AttributeKey<String> GEN_AI_OPERATION_NAME = stringKey("gen_ai.operation.name");
  static final AttributeKey<String> GEN_AI_REQUEST_MODEL = stringKey("gen_ai.request.model");
  static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = stringKey("gen_ai.response.model");
  static final AttributeKey<String> GEN_AI_RESPONSE_ID = stringKey("gen_ai.response.id");
  static final AttributeKey<Double> GEN_AI_REQUEST_TEMPERATURE =
      doubleKey("gen_ai.request.temperature");
  static final AttributeKey<Long> GEN_AI_REQUEST_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
  static final AttributeKey<Long> GEN_AI_USAGE_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> GEN_AI_USAGE_OUTPUT_TOKENS =
      longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<List<String>> GEN_AI_RESPONSE_FINISH_REASONS =
      stringArrayKey("gen_ai.response.finish_reasons");

  // Cache events (not a semconv namespace, but the shape most instrumentations use)
  static final AttributeKey<String> CACHE_NAME = stringKey("cache.name");
  static final AttributeKey<String> CACHE_KEY = stringKey("cache.key");
}
