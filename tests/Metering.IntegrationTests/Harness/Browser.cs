using Metering.Testing;
using Microsoft.Playwright;

namespace Metering.IntegrationTests.Harness;

/// <summary>
/// Debian's chromium, headless, driven by Playwright; one per test class. The page may reach the service under test and
/// nothing else: every other request is recorded and refused, so a test can assert the page works offline.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public static readonly string ExecutablePath = System.Environment.GetEnvironmentVariable("METERING_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>Where screenshots go: <c>artifacts/dashboard</c> at the repository's root.</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(ServiceProcess.RepositoryRoot(), "artifacts", "dashboard")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"No chromium at {ExecutablePath}: install Debian's (apt-get install -y chromium; infra/test.sh does) or set METERING_CHROMIUM to a Chromium binary.");
        }

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    /// <summary>A fresh page (its own storage) that may talk only to <paramref name="service"/>.</summary>
    public async Task<BrowserPage> OpenAsync(Uri service)
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var result = new BrowserPage(context, page);
        await page.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "http" && url.Authority == service.Authority)
            {
                await route.ContinueAsync();
            }
            else
            {
                result.Refused.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                result.Errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => result.Errors.Add(error);
        return result;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}

/// <summary>A page, with what it tried to fetch from elsewhere and the script errors it raised.</summary>
public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public System.Collections.Concurrent.ConcurrentBag<string> Refused { get; } = [];

    public System.Collections.Concurrent.ConcurrentBag<string> Errors { get; } = [];

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Artifacts, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
