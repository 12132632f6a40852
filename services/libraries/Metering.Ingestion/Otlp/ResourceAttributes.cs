using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;

namespace Metering.Ingestion.Otlp;

/// <summary>What metering reads from a resource, gathered once for all of its spans.</summary>
internal readonly record struct ResourceAttributes(AnyValue? Tenant, AnyValue? ServiceName, AnyValue? Environment)
{
    public static ResourceAttributes Gather(Resource? resource, string tenantAttribute)
    {
        if (resource is null)
        {
            return default;
        }

        AnyValue? tenant = null, serviceName = null, environment = null;
        foreach (var attribute in resource.Attributes)
        {
            if (string.Equals(attribute.Key, tenantAttribute, StringComparison.Ordinal))
            {
                tenant ??= attribute.Value;
            }

            if (attribute.Key == GenAiAttributeNames.ServiceName)
            {
                serviceName ??= attribute.Value;
            }
            else if (attribute.Key == GenAiAttributeNames.DeploymentEnvironmentName)
            {
                environment ??= attribute.Value;
            }
        }

        return new ResourceAttributes(tenant, serviceName, environment);
    }
}
