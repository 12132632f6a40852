namespace Metering.Api.Access;

/// <summary>Settings of section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    /// <summary>A first admin key, from configuration; the CLI creates more (<c>metering keys create</c>).</summary>
    public string? AdminKey { get; set; }
}
