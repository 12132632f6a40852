namespace Metering.Pricing.Catalog;

/// <summary>A context tier as JSON: the rates of a request whose prompt is strictly above <see cref="AbovePromptTokens"/>.</summary>
public sealed class ContextTierDocument : RatesDocument
{
    public long? AbovePromptTokens { get; set; }
}
