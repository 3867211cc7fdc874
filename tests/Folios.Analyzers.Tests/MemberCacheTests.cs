using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Tests;

/// <summary>
/// Each rule walks a file's members in turn, so the facts of every member of the file last analysed on a thread are
/// kept for the next rule; another compilation of the same text starts afresh.
/// </summary>
public class MemberCacheTests
{
    private const string Source = "class C { int A() => 1; int B() => 2; int D() { int Local() => 3; return Local(); } }";

    [Fact]
    public void Every_member_of_the_file_keeps_its_facts_while_the_next_rule_walks_them_again()
    {
        var roots = Roots(Source);
        var local = roots[2].Descendants().OfType<ILocalFunctionOperation>().Single();
        // The cache holds its file weakly: a collection in between (other tests allocate meanwhile) is a legal miss.
        using var noCollection = new NoCollection();
        var first = roots.Select(MemberCache.Of).ToList();
        var second = roots.Select(MemberCache.Of).ToList();
        Assert.Equal(3, first.Distinct().Count());
        Assert.Equal(first, second);
        // An operation deep in a member finds its member's facts.
        Assert.Same(first[2], MemberCache.Of(local));
    }

    [Fact]
    public void Another_compilation_of_the_same_text_gets_its_own_facts()
    {
        var before = MemberCache.Of(Roots(Source)[0]);
        var again = MemberCache.Of(Roots(Source)[0]);
        Assert.NotSame(before, again);
        Assert.NotSame(before.Root, again.Root);
    }

    private static List<IOperation> Roots(string source)
    {
        var (tree, _, model) = Repository.Compile(source);
        return tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => model.GetOperation(m)!).ToList();
    }

    private sealed class NoCollection : IDisposable
    {
        private readonly bool _started = GC.TryStartNoGCRegion(64L << 20);

        public void Dispose()
        {
            if (_started && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
                GC.EndNoGCRegion();
        }
    }
}
