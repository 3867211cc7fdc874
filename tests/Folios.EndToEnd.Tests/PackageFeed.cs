namespace Folios.EndToEnd.Tests;

/// <summary>The Folios.Runtime package, packed once from this checkout into a folder feed, as a user would get it.</summary>
public sealed class PackageFeed : IDisposable
{
    /// <summary>Where this test build says the rule pages are published (the release build's FoliosDocumentationUrl).</summary>
    public const string DocumentationUrl = "https://folios.example/docs/rules/";

    public PackageFeed()
    {
        RepositoryRoot = FindRepositoryRoot();
        Root = Directory.CreateTempSubdirectory("folios-e2e-").FullName;
        Feed = Path.Combine(Root, "feed");
        // Built under an artifacts path of its own: the checkout's bin/ and obj/ stay out of it, and the package's
        // analyzers must be found wherever their projects put them.
        // The whole product's Release build: on a 2-core machine shared with other builds it can take longer than the
        // five minutes a consumer's build gets.
        string[] pack = ["pack", "Runtime/Folios.Runtime.csproj", "-c", "Release", "--artifacts-path", Path.Combine(Root, "artifacts"), "-o", Feed, $"-p:FoliosDocumentationUrl={DocumentationUrl}"];
        var (exitCode, output) = DotNet.Run(RepositoryRoot, TimeSpan.FromMinutes(20), pack);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', pack)} exited with {exitCode}:\n{output}");
        PackOutput = output;
        Package = Directory.GetFiles(Feed, "Folios.Runtime.*.nupkg").Single();
        MisuseProgram = File.ReadAllText(Path.Combine(RepositoryRoot, "Samples", "Misuse", "Program.cs"));
        MisusePolicy = File.ReadAllText(Path.Combine(RepositoryRoot, "Samples", "Misuse", ".editorconfig"));
    }

    public string RepositoryRoot { get; }

    /// <summary>A temporary folder that holds the feed and every consumer project.</summary>
    public string Root { get; }

    public string Feed { get; }

    public string Package { get; }

    /// <summary>What <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; }

    /// <summary>Every rule the package carries; Samples/Misuse breaks each of them.</summary>
    public static readonly string[] Rules = ["FOLIO001", "FOLIO002", "FOLIO003", "FOLIO004", "FOLIO005", "FOLIO006", "FOLIO007", "FOLIO008", "FOLIO009", "FOLIO010", "FOLIO011", "FOLIO012", "FOLIO013", "FOLIO014", "FOLIO015", "FOLIO016"];

    /// <summary>Samples/Misuse's program, which breaks each rule on purpose.</summary>
    public string MisuseProgram { get; }

    /// <summary>Samples/Misuse's .editorconfig (the rule settings the program is written for).</summary>
    public string MisusePolicy { get; }

    /// <summary>A consumer of the package with Samples/Misuse's program and rule settings.</summary>
    public string CreateMisuseConsumer(string name, string properties = "") => CreateConsumer(name, MisuseProgram, MisusePolicy, properties);

    /// <summary>A new project that references the package from the feed only, with its own package folder.</summary>
    public string CreateConsumer(string name, string programSource, string? editorConfig = null, string properties = "")
    {
        string directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        string version = Path.GetFileNameWithoutExtension(Package)["Folios.Runtime.".Length..];
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <RestorePackagesPath>{Path.Combine(directory, "packages")}</RestorePackagesPath>
                <NuGetAudit>false</NuGetAudit>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Folios.Runtime" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="folios" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), programSource);
        if (editorConfig is not null)
            File.WriteAllText(Path.Combine(directory, ".editorconfig"), "root = true\n" + editorConfig);
        return directory;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned by the system.
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Analyzers.sln above {AppContext.BaseDirectory}.");
    }
}
