namespace Metering.Pricing.Catalog;

/// <summary>A catalog that cannot be used, with every problem found in it.</summary>
public sealed class CatalogException : Exception
{
    public CatalogException(IReadOnlyList<string> problems)
        : base("invalid catalog: " + string.Join("; ", problems))
    {
        Problems = problems;
    }

    public CatalogException(string problem, Exception? inner = null)
        : base("invalid catalog: " + problem, inner)
    {
        Problems = [problem];
    }

    public IReadOnlyList<string> Problems { get; }
}
