using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>
/// Mappings released the way the rules' docs recommend, proven on the operation tree so that FOLIO003 and FOLIO004
/// need no control-flow graph for them: <c>using var m = x.Map();</c>, <c>using (var m = x.Map()) { }</c>, or
/// <c>var m = x.Map();</c> followed at once by <c>try { } finally { m.Unmap(); }</c> whose finally releases it first.
/// The mapping must be used only through <c>m.Span</c> where it stands (indexed, its length read, a call on it, passed
/// to a method) inside that scope, outside lambdas and local functions, so that no span of it is kept in a variable or
/// returned and nothing unmaps it twice; and the body must free nothing (no explicit Dispose or Free). Every path out
/// of such a scope, exceptions included, releases the mapping after its last use: the flow over the graph finds
/// nothing there either (<c>StructuredReleaseTests</c>). Anything else is left to the graph.
/// </summary>
internal static class StructuredRelease
{
    /// <summary>
    /// Whether the mapping made by <paramref name="call"/> is held in a local that one of the shapes above releases;
    /// <paramref name="release"/> is the finally's Unmap or Dispose (null for a using).
    /// </summary>
    public static bool Releases(IInvocationOperation call, IOperation[] listing, out IInvocationOperation? release)
    {
        release = null;
        if (call.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { IsRef: false } local } declarator }
            || declarator.Parent is not IVariableDeclarationOperation { Declarators.Length: 1, Parent: IVariableDeclarationGroupOperation { Declarations.Length: 1 } group }
            || Scope(group, local, out release) is not { } scope)
            return false;
        foreach (var operation in listing)
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && reference.Parent != release
                && !(IsSpanUse(reference) && scope.Syntax.Span.Contains(reference.Syntax.Span) && !OperationShape.InNestedFunction(reference)))
                return false;
        }
        return true;
    }

    /// <summary>Whether the body frees or unmaps nothing explicitly but the releases found: anything else could free pages while mapped.</summary>
    public static bool FreesNothingElse(IOperation[] listing, FoliosTypes types, List<IInvocationOperation> releases)
    {
        foreach (var operation in listing)
        {
            if (operation is IInvocationOperation { IsImplicit: false } call && !releases.Contains(call)
                && (call.TargetMethod.Name is Names.Disposable.Dispose or Names.PageAllocator.Free || MappingKind.IsUnmapsPages(call.TargetMethod, types)))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Where the mapping may be read: the body of a using statement, the rest of the block of a using declaration,
    /// or the try body of the try/finally that follows the declaration and releases the local first in its finally.
    /// </summary>
    private static IOperation? Scope(IVariableDeclarationGroupOperation group, ILocalSymbol local, out IInvocationOperation? release)
    {
        release = null;
        switch (group.Parent)
        {
            case IUsingOperation @using when @using.Resources == group:
                return @using.Body;
            case IUsingDeclarationOperation { Parent: IBlockOperation block }:
                return block;
            case IBlockOperation block:
                int at = block.Operations.IndexOf(group);
                if (at + 1 < block.Operations.Length
                    && block.Operations[at + 1] is ITryOperation { Catches.Length: 0, Finally: { Operations.Length: > 0 } @finally } @try
                    && @finally.Operations[0] is IExpressionStatementOperation { Operation: IInvocationOperation { Arguments.Length: 0, TargetMethod.Name: Names.PageMapping.Unmap or Names.Disposable.Dispose } first }
                    && first.Instance is ILocalReferenceOperation released && SymbolEqualityComparer.Default.Equals(released.Local, local))
                {
                    release = first;
                    return @try.Body;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// <c>m.Span</c> used where it stands: indexed, its Length read, a call on it that returns no span
    /// (<c>Clear</c>, <c>CopyTo</c>, <c>IndexOf</c>), or passed to a method; never kept in a variable or returned,
    /// where the flow would follow it past the unmap.
    /// </summary>
    private static bool IsSpanUse(ILocalReferenceOperation reference)
    {
        if (reference.Parent is not IPropertyReferenceOperation { Property.Name: Names.PageMapping.Span } span || span.Instance != reference)
            return false;
        var used = OperationShape.Outermost(span);
        return used.Parent switch
        {
            IPropertyReferenceOperation read when read.Instance == used => read.Property.IsIndexer || read.Property.Name == Names.Span.Length,
            IInvocationOperation call when call.Instance == used => !FrameworkTypes.IsSpan(call.Type),
            IArgumentOperation { Parameter.RefKind: RefKind.None, Parent: IInvocationOperation } => true,
            _ => false,
        };
    }
}
