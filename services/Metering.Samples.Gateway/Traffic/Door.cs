namespace Metering.Samples.Gateway.Traffic;

/// <summary>The three ways a call's usage reaches Metering (SPEC §14); the gateway takes them in turn.</summary>
public enum Door
{
    /// <summary>A §3 <c>TokenUsage</c> counted by the gateway, over AMQP.</summary>
    Contract,

    /// <summary>The provider's own response, over AMQP: Metering's adapter counts.</summary>
    Native,

    /// <summary>An OpenTelemetry GenAI span, exported over OTLP/HTTP to the API's <c>/v1/traces</c>.</summary>
    Otlp,
}
