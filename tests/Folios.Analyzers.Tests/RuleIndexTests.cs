using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Folios.Analyzers.Tests;

/// <summary>
/// The rule lists people read are generated from the descriptors, so a new rule is added in one place:
/// docs/rules/README.md is rewritten by this test when FOLIOS_UPDATE_DOCS=1 and must match it otherwise, and the
/// README's table must name exactly the rules the analyzers export.
/// </summary>
public class RuleIndexTests
{
    private const string Start = "<!-- generated from the descriptors by RuleIndexTests; FOLIOS_UPDATE_DOCS=1 rewrites it -->";

    [Fact]
    public void The_rules_index_is_generated_from_the_descriptors()
    {
        string path = Path.Combine(Repository.Root, "docs", "rules", "README.md");
        string expected = Index();
        if (Environment.GetEnvironmentVariable("FOLIOS_UPDATE_DOCS") == "1")
            File.WriteAllText(path, expected);
        Assert.Equal(expected, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_readme_table_names_exactly_the_exported_rules()
    {
        var readme = File.ReadAllLines(Path.Combine(Repository.Root, "README.md"));
        var rows = readme.Where(line => line.StartsWith("| [FOLIO", StringComparison.Ordinal)).Select(line => line[3..11]).ToList();
        Assert.Equal(Rules().Select(rule => rule.Id), rows);
    }

    private static string Index()
    {
        var fixable = typeof(Folios.CodeFixes.Rules.NoFailOrderFixer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
            .ToHashSet();
        var text = new StringBuilder()
            .Append("# Folios rules\n\n").Append(Start).Append("\n\n")
            .Append("| id | title | category | default severity | code fix |\n|---|---|---|---|---|\n");
        foreach (var rule in Rules())
            text.Append($"| [{rule.Id}]({rule.Id}.md) | {rule.Title} | {rule.Category} | {rule.DefaultSeverity} | {(fixable.Contains(rule.Id) ? "yes" : "no")} |\n");
        return text.ToString();
    }

    private static IEnumerable<DiagnosticDescriptor> Rules() =>
        AllAnalyzers.Create().SelectMany(a => a.SupportedDiagnostics).GroupBy(d => d.Id).Select(g => g.First()).OrderBy(d => d.Id, StringComparer.Ordinal);
}
