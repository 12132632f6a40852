namespace Metering.Api.Ingestion;

/// <summary>RabbitMQ did not confirm a publish: the ingestion endpoints answer <c>503</c> with <c>Retry-After</c>, and nothing is accepted.</summary>
public sealed class BrokerUnavailableException(string message, Exception inner) : Exception(message, inner);
