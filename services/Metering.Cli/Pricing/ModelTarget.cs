namespace Metering.Cli.Pricing;

/// <summary>The PROVIDER/MODEL of <c>--as</c>; the model may itself contain slashes.</summary>
internal sealed record ModelTarget(string Provider, string Model)
{
    public static ModelTarget Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < text.Length - 1
            ? new ModelTarget(text[..slash], text[(slash + 1)..])
            : throw new FormatException($"--as takes PROVIDER/MODEL, e.g. deepinfra/deepseek-v4-pro; got '{text}'");
    }
}
