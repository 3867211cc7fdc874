using System.Text.Json.Nodes;

namespace Folios.EndToEnd.Tests;

/// <summary>The rules as an editor shows them: csharp-ls loads the package's analyzers and updates as the user types.</summary>
[Collection(PackageCollection.Name)]
public sealed class LanguageServerTests(PackageFeed feed)
{
    private static readonly TimeSpan ProjectLoad = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_editor_shows_each_rule_as_a_warning_and_clears_it_once_the_code_is_fixed()
    {
        DotNet.RunOrFail(feed.RepositoryRoot, "tool", "restore");
        string misuse = feed.MisuseProgram;
        string project = feed.CreateConsumer("EditorConsumer", misuse);
        DotNet.RunOrFail(project, "restore");
        string program = Path.Combine(project, "Program.cs");

        using var server = new LanguageServer(feed.RepositoryRoot, project);
        await server.InitializeAsync(ProjectLoad);
        await server.OpenAsync(program, misuse);
        var diagnostics = await server.WaitForDiagnosticsAsync(program, d => Codes(d).Any(c => c.StartsWith("FOLIO", StringComparison.Ordinal)), ProjectLoad);

        var lines = misuse.Split('\n');
        foreach (var (rule, marker) in new[] { ("FOLIO001", "AllocationPolicy.SingleFolio"), ("FOLIO002", "BinaryPrimitives.ReadUInt32LittleEndian(node.GetFolio"), ("FOLIO003", "var view = node.Map()"), ("FOLIO004", "snapshot.Unmap(); // to be safe"), ("FOLIO005", "AllocFlags.NoFail | AllocFlags.NoWait"), ("FOLIO006", "allocator.Allocate(4, AllocFlags.Zero)"), ("FOLIO007", "allocator.TryAllocate(2, AllocFlags.NoWarn"), ("FOLIO008", "int header = page * 4096;"), ("FOLIO010", "BinaryPrimitives.ReadInt32LittleEndian(frame.FirstSpan)"), ("FOLIO011", "FOLIO011: sent"), ("FOLIO012", "Rent(size + 16)"), ("FOLIO013", "sent.Write(entry);"), ("FOLIO014", "FOLIO014: the frame held"), ("FOLIO015", "TryRead(out var read)"), ("FOLIO016", "BinaryPrimitives.WriteInt32LittleEndian(span, 5)") })
        {
            var reported = Assert.Single(diagnostics, d => d?["code"]?.ToString() == rule);
            Assert.Equal(2, reported!["severity"]!.GetValue<int>()); // Warning
            Assert.Equal(Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal)), reported["range"]!["start"]!["line"]!.GetValue<int>());
        }

        // The user types the fix for FOLIO003: a using declaration instead of the explicit unmap.
        string typed = misuse.Replace("var view = node.Map();", "using var view = node.Map();", StringComparison.Ordinal)
            .Replace("        view.Unmap();\n", "", StringComparison.Ordinal);
        Assert.NotEqual(misuse, typed);
        await server.ChangeAsync(program, 2, typed);
        var updated = await server.WaitForDiagnosticsAsync(program, d => !Codes(d).Contains("FOLIO003"), ProjectLoad);
        Assert.Contains("FOLIO001", Codes(updated));
        Assert.Contains("FOLIO002", Codes(updated));
    }

    private static List<string> Codes(JsonArray diagnostics) => diagnostics.Select(d => d?["code"]?.ToString() ?? "").ToList();
}
