using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Tests;

/// <summary>
/// FOLIO005 builds no graph for a flags local whose writes never bring NoFail, or never a flag that gives up
/// (<see cref="FlagFlow.BitsEverHeld"/>). The bits it reads from the writes must cover every value the graph's flow
/// finds, on every flags local of the samples and of the rule tests' snippets; and each way a local may be set
/// behind the writes' back makes the answer "unknown".
/// </summary>
public class FlagBitsTests
{
    /// <summary>Bodies that write a flags local <c>f</c>, and the bits expected (null: unknown).</summary>
    public static TheoryData<string, string?> Writes => new()
    {
        { "var f = AllocFlags.NoWarn; if (n > 0) f |= AllocFlags.NoRetry; Use(f);", "NoWarn | NoRetry" },
        { "var f = AllocFlags.NoFail | AllocFlags.NoWait; f &= ~AllocFlags.NoWait; Use(f);", "NoFail | NoWait" },
        { "var f = AllocFlags.NoWarn; f ^= AllocFlags.NoFail; Use(f);", "NoWarn | NoFail" },
        { "var f = n > 0 ? AllocFlags.Zero : AllocFlags.NoWarn; f = n switch { 1 => AllocFlags.NoRetry, _ => f }; Use(f);", "Zero | NoWarn | NoRetry" },
        { "AllocFlags f; if (n > 0) f = AllocFlags.Zero; else f = AllocFlags.NoWait; Use(f);", "Zero | NoWait" },
        { "var f = AllocFlags.Zero; Action a = () => f |= AllocFlags.NoFail; Use(f);", "Zero | NoFail" },
        { "var f = AllocFlags.Zero; f = f & someFlags; Use(f);", "Zero" },
        { "var f = AllocFlags.Zero; f = someFlags; Use(f);", null },
        { "var f = AllocFlags.Zero; f |= someFlags; Use(f);", null },
        { "var f = AllocFlags.Zero; f++; Use(f);", null },
        { "var f = AllocFlags.Zero; f += 1; Use(f);", null },
        { "var f = AllocFlags.Zero; Adjust(ref f); Use(f);", null },
        { "var f = AllocFlags.Zero; Peek(in f); Use(f);", null },
        { "var f = AllocFlags.Zero; ref var alias = ref f; alias = AllocFlags.NoFail; Use(f);", null },
        { "var f = AllocFlags.Zero; unsafe { AllocFlags* p = &f; *p = AllocFlags.NoFail; } Use(f);", null },
        { "var f = AllocFlags.Zero; (f, n) = (someFlags, 1); Use(f);", null },
        { "if (Get(out var f)) Use(f);", null },
        { "if (Box() is AllocFlags f) Use(f);", null },
        { "foreach (var f in new[] { AllocFlags.NoFail }) Use(f);", null },
        { "var f = ~AllocFlags.NoWait; Use(f);", "~NoWait" },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public void Bits_come_from_the_writes_or_are_unknown(string body, string? expected)
    {
        var (use, listing) = UseOfF(InMethod(body));
        Assert.Equal(expected is null ? null : Parse(expected), FlagFlow.BitsEverHeld(listing, use.Local));
    }

    [Fact]
    public void The_bits_cover_every_value_the_flow_finds()
    {
        var sources = RobustnessTests.MutantOrigins();
        sources.AddRange(Writes.Select(row => InMethod((string)row[0])));
        sources.AddRange(Repository.SourcesUnder("Samples"));
        int uses = 0, known = 0;
        foreach (string source in sources)
        {
            var (tree, _, model) = Repository.Compile(source);
            foreach (var body in tree.GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
            {
                if (body.ContainsDiagnostics || model.GetOperation(body) is not { } root)
                    continue;
                var listing = OperationTrees.Of(root);
                var graph = ControlFlowGraph.Create(body, model)!;
                foreach (var use in listing.OfType<ILocalReferenceOperation>().Where(r => r.Type?.Name == nameof(AllocFlags)))
                {
                    uses++;
                    if (FlagFlow.BitsEverHeld(listing, use.Local) is not { } bits || FlagFlow.ValuesAt(graph, use, default) is not { } values)
                        continue;
                    known++;
                    Assert.All(values, value => Assert.True((value & ~bits) == 0, $"{use.Syntax} may hold {value:X} beyond the bits {bits:X} in:\n{body}"));
                }
            }
        }
        Assert.True(uses > 40, $"only {uses} flags locals read");
        Assert.True(known > 20, $"only {known} flags locals compared");
    }

    private static string InMethod(string body) => Snippets.InMethod(body, """
        static void Use(AllocFlags f) { }
        static void Adjust(ref AllocFlags f) { }
        static void Peek(in AllocFlags f) { }
        static bool Get(out AllocFlags f) { f = default; return true; }
        static object Box() => AllocFlags.NoFail;
        """);

    private static (ILocalReferenceOperation Use, IOperation[] Listing) UseOfF(string source)
    {
        var (method, _, model) = Repository.MethodM(source);
        var listing = OperationTrees.Of(model.GetOperation(method)!);
        return (listing.OfType<ILocalReferenceOperation>().Last(r => r.Local.Name == "f"), listing);
    }

    /// <summary>"A | B" or "~A" of AllocFlags names, as the runtime defines them.</summary>
    private static long Parse(string flags) => flags.StartsWith('~')
        ? ~Convert.ToInt64(Enum.Parse<AllocFlags>(flags[1..]))
        : flags.Split('|').Select(name => Convert.ToInt64(Enum.Parse<AllocFlags>(name.Trim()))).Aggregate((a, b) => a | b);
}
