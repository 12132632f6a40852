namespace Metering.IntegrationTests.Harness;

/// <summary>
/// The tests that stop, crash or kill servers run one at a time: xunit runs the classes of one collection in sequence,
/// so a PostgreSQL crash never lands in the middle of a cluster test, or the other way round.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DisruptiveCollection
{
    public const string Name = "Servers stopped, crashed or killed";
}
