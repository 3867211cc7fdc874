using System.Collections.Immutable;
using System.Reflection;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Tests;

/// <summary>Every analyzer the package exports, found by reflection, so a new rule joins every all-rules test.</summary>
internal static class AllAnalyzers
{
    public static ImmutableArray<DiagnosticAnalyzer> Create() =>
        typeof(Folios.Analyzers.Rules.NoFailOrderAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}
