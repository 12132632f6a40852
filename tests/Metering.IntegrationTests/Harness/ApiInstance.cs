using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metering.Api.Access;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.IntegrationTests.Harness;

/// <summary>The real ledger API (its own Program and wiring) in this process, against the test's database and vhost.</summary>
public sealed class ApiInstance(MeteringEnvironment environment, TimeProvider? clock) : WebApplicationFactory<ApiOptions>
{
    public const string AdminKey = "test-admin-key";

    /// <summary>A client sending <c>Authorization: Bearer <paramref name="key"/></c>, or no key at all.</summary>
    public HttpClient As(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient Admin() => As(AdminKey);

    /// <summary>Serves the API on a real loopback port (Kestrel instead of the in-memory test server), for a browser.</summary>
    public Uri ServeOverHttp()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in environment.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Api:AdminKey", AdminKey);
        if (clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}

/// <summary>Reading API responses in tests.</summary>
public static class ApiResponses
{
    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonArray> JsonArrayAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        return JsonNode.Parse(body)!.AsArray();
    }

    public static Task<JsonObject> GetJsonAsync(this HttpClient client, string url) => client.GetAsync(url).ContinueWith(t => t.Result.JsonAsync()).Unwrap();

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, JsonSerializerOptions.Web);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, JsonSerializerOptions.Web);

    public static decimal Money(this JsonNode? node) => decimal.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A problem-details response with this status; returns its body.</summary>
    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode} for {response.RequestMessage?.RequestUri}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!.AsObject();
    }
}
