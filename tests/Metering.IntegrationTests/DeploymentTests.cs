using System.Text.RegularExpressions;
using Metering.Testing;
using YamlDotNet.RepresentationModel;

namespace Metering.IntegrationTests;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so what can be checked is checked: it runs the services
/// infra/up.sh runs, from Dockerfiles that exist and start the right project, with documented settings, on the same
/// ports, with health checks and dependencies that resolve.
/// </summary>
public sealed partial class DeploymentTests
{
    private static readonly string Root = ServiceProcess.RepositoryRoot();
    private static readonly YamlMappingNode Compose = Load();

    private static readonly Dictionary<string, (string Project, int Port)> Services = new()
    {
        ["worker"] = ("Metering.Worker", 5081),
        ["budget"] = ("Metering.Budget", 5082),
        ["api"] = ("Metering.Api", 5080),
        ["gateway"] = ("Metering.Samples.Gateway", 5083),
    };

    private static YamlMappingNode ServicesNode => (YamlMappingNode)Compose["services"];

    [Fact]
    public void Compose_runs_the_servers_the_migration_and_every_service_of_up_sh()
    {
        var names = ServicesNode.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();

        Assert.Equal(["api", "budget", "gateway", "migrate", "postgres", "rabbitmq", "rabbitmq-2", "rabbitmq-3", "worker"], names.Order());

        // The second and third RabbitMQ nodes run only in the cluster profile (SPEC §16).
        foreach (var node in new[] { "rabbitmq-2", "rabbitmq-3" })
        {
            var profiles = (YamlSequenceNode)((YamlMappingNode)ServicesNode[node])["profiles"];
            Assert.Equal(["cluster"], profiles.Children.Select(p => ((YamlScalarNode)p).Value));
        }

        var upScript = File.ReadAllText(Path.Combine(Root, "infra", "up.sh"));
        foreach (var (service, (project, _)) in Services)
        {
            Assert.Contains($"start {service} {project}", upScript, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_service_is_built_from_a_dockerfile_that_publishes_and_starts_its_own_project()
    {
        foreach (var (service, (project, port)) in Services.Append(new("migrate", ("Metering.Cli", 0))))
        {
            var build = (YamlMappingNode)((YamlMappingNode)ServicesNode[service])["build"];
            var dockerfile = Path.Combine(Root, ((YamlScalarNode)build["dockerfile"]).Value!);
            Assert.Equal(".", ((YamlScalarNode)build["context"]).Value);
            Assert.True(File.Exists(dockerfile), dockerfile);
            var text = File.ReadAllText(dockerfile);
            Assert.Contains($"dotnet publish services/{project} ", text, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(Root, "services", project, project + ".csproj")));
            var dll = project == "Metering.Cli" ? "metering.dll" : project + ".dll";
            Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{dll}\"]", text, StringComparison.Ordinal);
            if (port != 0)
            {
                Assert.Contains($"ENV Urls=http://0.0.0.0:{port}", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Services_listen_on_the_ports_of_up_sh_and_have_health_checks()
    {
        foreach (var (service, (project, port)) in Services)
        {
            var node = (YamlMappingNode)ServicesNode[service];
            Assert.Equal($"127.0.0.1:{port}:{port}", ((YamlScalarNode)((YamlSequenceNode)node["ports"])[0]).Value);
            var health = string.Join(" ", ((YamlSequenceNode)((YamlMappingNode)node["healthcheck"])["test"]).Select(n => ((YamlScalarNode)n).Value));
            Assert.Contains($"http://127.0.0.1:{port}/health/", health, StringComparison.Ordinal);
            var appsettings = File.ReadAllText(Path.Combine(Root, "services", project, "appsettings.json"));
            Assert.Contains($"\"Urls\": \"http://127.0.0.1:{port}\"", appsettings, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dependencies_name_services_that_exist()
    {
        foreach (var service in ServicesNode.Children.Values.Cast<YamlMappingNode>())
        {
            if (service.Children.TryGetValue("depends_on", out var dependsOn))
            {
                Assert.All(((YamlMappingNode)dependsOn).Children.Keys, k => Assert.True(ServicesNode.Children.ContainsKey(k), $"depends on unknown {k}"));
            }
        }
    }

    [Fact]
    public void Every_setting_compose_passes_is_one_the_readme_documents()
    {
        var documented = ConfigurationRow().Matches(File.ReadAllText(Path.Combine(Root, "README.md"))).Select(m => m.Groups[1].Value).ToHashSet();
        var passed = new List<string>();
        foreach (var (name, service) in ServicesNode.Children.Select(c => (((YamlScalarNode)c.Key).Value, (YamlMappingNode)c.Value)))
        {
            if (name is "postgres" or "rabbitmq" || !service.Children.TryGetValue("environment", out var environment))
            {
                continue;
            }

            passed.AddRange(Keys((YamlMappingNode)environment));
        }

        Assert.NotEmpty(passed);
        Assert.All(passed.Select(k => k.Replace("__", ":", StringComparison.Ordinal)), key => Assert.Contains(key, documented));
    }

    private static IEnumerable<string> Keys(YamlMappingNode environment) =>
        environment.Children.SelectMany(c => ((YamlScalarNode)c.Key).Value == "<<" ? Keys((YamlMappingNode)c.Value) : [((YamlScalarNode)c.Key).Value!]);

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    [GeneratedRegex(@"^\| `([A-Za-z:]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ConfigurationRow();
}
