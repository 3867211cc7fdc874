using System.Reflection;
using Folios.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Tests;

/// <summary>Every exported descriptor has a help link to an existing doc page and a release-tracking entry.</summary>
public class DescriptorTests
{
    public static TheoryData<string> DescriptorIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in AllDescriptors().Select(d => d.Id).Distinct())
            data.Add(id);
        return data;
    }

    [Fact]
    public void The_analyzer_assembly_exports_the_rules()
    {
        Assert.Contains("FOLIO001", AllDescriptors().Select(d => d.Id));
        Assert.Contains("FOLIO002", AllDescriptors().Select(d => d.Id));
        Assert.Contains("FOLIO003", AllDescriptors().Select(d => d.Id));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Each_rule_links_to_its_doc_page_which_exists(string id)
    {
        foreach (var descriptor in AllDescriptors().Where(d => d.Id == id))
        {
            // No made-up address: a link only where the build said where the pages are published.
            if (Descriptors.HelpLinkBase is null)
                Assert.Equal("", descriptor.HelpLinkUri);
            else
                Assert.Equal(Descriptors.HelpLinkBase.TrimEnd('/') + $"/{id}.md", descriptor.HelpLinkUri);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        }
        var page = Path.Combine(Repository.Root, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        Assert.StartsWith($"# {id}:", File.ReadAllText(page));
    }

    /// <summary>The page's shape follows the CA rule pages': when to suppress, and the related rules, linked.</summary>
    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Each_rule_page_says_when_to_suppress_and_links_related_rules_that_exist(string id)
    {
        string page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "rules", id + ".md"));
        Assert.Contains("\n## When to suppress\n", page, StringComparison.Ordinal);
        int related = page.IndexOf("\n## Related rules\n", StringComparison.Ordinal);
        Assert.True(related >= 0, $"{id}.md has no Related rules section");
        var links = System.Text.RegularExpressions.Regex.Matches(page[related..], @"\]\((FOLIO\d{3})\.md\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.DoesNotContain(id, links);
        Assert.All(links, other => Assert.True(File.Exists(Path.Combine(Repository.Root, "docs", "rules", other + ".md")), $"{id}.md links {other}.md, which does not exist"));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Each_rule_is_tracked_for_release_with_its_category_and_severity(string id)
    {
        var descriptor = AllDescriptors().First(d => d.Id == id);
        var tracking = File.ReadAllLines(Path.Combine(Repository.Root, "Analyzers", "AnalyzerReleases.Unshipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(Repository.Root, "Analyzers", "AnalyzerReleases.Shipped.md")));
        var row = Assert.Single(tracking, line => line.StartsWith(id + " ", StringComparison.Ordinal));
        Assert.Contains($"| {descriptor.Category} |", row);
        Assert.Contains($"| {descriptor.DefaultSeverity} |", row);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void The_package_readme_lists_each_rule_with_its_title(string id)
    {
        var descriptor = AllDescriptors().First(d => d.Id == id);
        var readme = File.ReadAllLines(Path.Combine(Repository.Root, "Runtime", "PACKAGE.md"));
        Assert.Contains($"| {id} | {descriptor.Title} |", readme);
    }

    private static IEnumerable<DiagnosticDescriptor> AllDescriptors() => AllAnalyzers.Create().SelectMany(a => a.SupportedDiagnostics);

    [Theory]
    [InlineData("Folios.Strict.globalconfig", "error")]
    [InlineData("Folios.None.globalconfig", "none")]
    public void Each_analysis_mode_preset_sets_every_rule_and_nothing_else(string preset, string severity)
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "Runtime", "buildTransitive", preset));
        Assert.Contains("is_global = true", lines);
        var set = lines.Where(l => l.StartsWith("dotnet_diagnostic.", StringComparison.Ordinal)).ToList();
        Assert.Equal(AllDescriptors().Select(d => d.Id).Distinct().Order().Select(id => $"dotnet_diagnostic.{id}.severity = {severity}"), set);
    }
}
