using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>How every ownership rule walks a member: the same graphs, the same sites, in the same order.</summary>
internal static class OwnedResources
{
    /// <summary>
    /// The sites of one kind in each graph of the member (its body's, then each lambda's and local function's), when the
    /// body acquires a resource of that kind that only a graph can decide (<see cref="Transfers.WorthAGraph"/>; a rule
    /// that reports resources lost by an exception says so in <paramref name="exceptionLeaksReported"/>).
    /// </summary>
    public static IEnumerable<OwnershipSites> SitesOf(RuleBlock context, ResourceKind kind, bool exceptionPaths, bool exceptionLeaksReported)
    {
        if (context.Root is not (IMethodBodyOperation or IConstructorBodyOperation) || !WorthAGraph(context.Root, kind, exceptionLeaksReported) || context.Graph is not { } body)
            yield break;
        var pending = new Stack<ControlFlowGraph>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var sites = OwnershipSites.Of(pending.Pop(), kind, exceptionPaths, context.CancellationToken);
            yield return sites;
            for (int i = sites.Nested.Count - 1; i >= 0; i--)
                pending.Push(sites.Nested[i]);
        }
    }

    /// <summary>
    /// <see cref="Transfers.WorthAGraph"/>, asked once per member, kind and flag: FOLIO011 and FOLIO012 ask it of the
    /// same rented arrays.
    /// </summary>
    private static bool WorthAGraph(IOperation root, ResourceKind kind, bool exceptionLeaksReported)
    {
        var known = MemberCache.Of(root).Fact(root, static _ => new Dictionary<(Type Kind, bool ExceptionLeaksReported), bool>());
        if (!known.TryGetValue((kind.GetType(), exceptionLeaksReported), out bool worth))
            known[(kind.GetType(), exceptionLeaksReported)] = worth = Transfers.WorthAGraph(root, kind, exceptionLeaksReported);
        return worth;
    }

    /// <summary>The line an operation starts on, as messages name it (1-based).</summary>
    public static int LineOf(IOperation operation) => operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    /// <summary>The line a body ends on: where a path that falls off its end leaves.</summary>
    public static int EndLine(IOperation body) => body.Syntax.GetLocation().GetLineSpan().EndLinePosition.Line + 1;
}
