using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Folios.Analyzers.Pipelines;

/// <summary>
/// Writer spans used before any Advance, proven on the operation tree so that FOLIO016's use after Advance needs no
/// control-flow graph for them: a span or memory used once where it is asked for (<c>writer.GetSpan(n).Fill(0)</c>),
/// or declared by it (<c>var span = writer.GetSpan(n);</c>) and used, with the views made of it, only where it is
/// consumed (<see cref="ScopedUses"/>), in its own function, before the first Advance of any writer that follows, and
/// in no loop that reaches that Advance. With no goto in the member, no path goes from an Advance back to such a use
/// without asking for the span again: the flow over the graph finds nothing there either (<c>StructuredAdvanceTests</c>).
/// </summary>
internal static class StructuredAdvance
{
    public static bool UsedBeforeAdvance(IInvocationOperation acquisition, IOperation[] listing, WriterSpanKind kind)
    {
        if (Transfers.WhereItGoes(acquisition, kind) == Transfers.FreshResource.Dropped)
            return true;
        if (acquisition.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { IsRef: false } span } declarator })
            return false;
        int from = declarator.Syntax.Span.End;
        int end = OperationShape.Root(acquisition).Syntax.Span.End;
        foreach (var operation in listing)
        {
            if (operation is IBranchOperation { BranchKind: BranchKind.GoTo })
                return false;
            if (operation is IInvocationOperation call && call.Syntax.SpanStart >= from && call.Syntax.SpanStart < end && kind.IsAdvance(call))
                end = call.Syntax.SpanStart;
        }
        // A loop that starts after the span is asked for and reaches the Advance runs its uses again after it.
        int until = end;
        foreach (var operation in listing)
        {
            if (operation is ILoopOperation loop && loop.Syntax.SpanStart >= from && loop.Syntax.SpanStart < end && loop.Syntax.Span.End > end)
                until = Math.Min(until, loop.Syntax.SpanStart);
        }
        return new ScopedUses(listing, TextSpan.FromBounds(from, Math.Max(from, until)), OperationShape.EnclosingFunction(acquisition), Transfers.IsOwnerArgument)
            .AllConsumed(span, static _ => false);
    }
}
