namespace Metering.IntegrationTests.Harness;

/// <summary>A test with an environment of its own: a fresh database and vhost, torn down afterwards.</summary>
public abstract class MeteringTest : IAsyncLifetime
{
    protected MeteringEnvironment Environment { get; private set; } = null!;

    public async Task InitializeAsync() => Environment = await MeteringEnvironment.CreateAsync();

    public async Task DisposeAsync() => await Environment.DisposeAsync();
}
