using System.Reflection;
using Folios.Analyzers.Rules;

namespace Folios.Analyzers.Tests;

/// <summary>
/// The analyzer and fix assemblies load in every host from Roslyn 4.8 on (Visual Studio 17.8, the .NET 8 SDK):
/// they reference no assembly version newer than such a host carries. The fixes are plain MEF exports without
/// <c>[Shared]</c>, so they reference no System.Composition at all (the lowest served here is 8.0.0, newer than
/// Roslyn 4.8's 7.0.0, which a .NET host would refuse to bind).
/// </summary>
public class HostCompatibilityTests
{
    public static TheoryData<string> Assemblies() => new() { "Folios.Analyzers", "Folios.CodeFixes" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void References_nothing_newer_than_a_Roslyn_4_8_host_carries(string name)
    {
        var assembly = name == "Folios.Analyzers" ? typeof(Folios.Analyzers.Rules.NoFailOrderAnalyzer).Assembly : typeof(Folios.CodeFixes.Rules.NoFailOrderFixer).Assembly;
        var ceilings = new Dictionary<string, Version>
        {
            ["netstandard"] = new(2, 0, 0, 0),
            ["Microsoft.CodeAnalysis"] = new(4, 8, 0, 0),
            ["Microsoft.CodeAnalysis.CSharp"] = new(4, 8, 0, 0),
            ["Microsoft.CodeAnalysis.Workspaces"] = new(4, 8, 0, 0),
            ["Microsoft.CodeAnalysis.CSharp.Workspaces"] = new(4, 8, 0, 0),
            ["System.Collections.Immutable"] = new(7, 0, 0, 0),
            ["System.Reflection.Metadata"] = new(7, 0, 0, 0),
            ["System.Memory"] = new(4, 0, 1, 2),
            ["Folios.Analyzers"] = assembly.GetName().Version!,
        };
        foreach (var reference in assembly.GetReferencedAssemblies())
        {
            Assert.True(ceilings.TryGetValue(reference.Name!, out var ceiling), $"{name} references {reference.FullName}, which a Roslyn 4.8 host may not carry.");
            Assert.True(reference.Version <= ceiling, $"{name} references {reference.FullName}, newer than {ceiling}.");
        }
    }
}
