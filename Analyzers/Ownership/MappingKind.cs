using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>
/// A virtually contiguous mapping of pages (FOLIO003, FOLIO004): made by a <c>[MapsPages]</c> method, released by an
/// <c>[UnmapsPages]</c> method on it (Unmap, which throws when repeated; Dispose, which does not) or by passing it to an
/// <c>[UnmapsPages]</c> parameter; used through its Span, which dies with it; it depends on the buffer or folios it
/// maps, which must not be freed while it is mapped.
/// </summary>
internal sealed class MappingKind(FoliosTypes types) : ResourceKind
{
    public FoliosTypes Types { get; } = types;

    public override bool Acquires(IInvocationOperation call) => IsMapsPages(call, Types);

    public static bool IsMapsPages(IInvocationOperation call, FoliosTypes types) =>
        FoliosTypes.HasAttribute(call.TargetMethod.OriginalDefinition, types.MapsPagesAttribute);

    public override Release ReleaseBy(IInvocationOperation call, Tracked tracked)
    {
        if (call.Instance is { } instance && tracked.Is(OperationShape.Unwrap(instance)) && IsUnmapsPages(call.TargetMethod, Types))
            return call.TargetMethod.Name == Names.PageMapping.Unmap ? Release.Once : Release.Idempotent;
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { } parameter && FoliosTypes.HasAttribute(parameter, Types.UnmapsPagesAttribute) && tracked.Is(OperationShape.Unwrap(argument.Value)))
                return Release.Idempotent;
        }
        return Release.None;
    }

    public static bool IsUnmapsPages(IMethodSymbol method, FoliosTypes types) =>
        FoliosTypes.HasAttribute(method.OriginalDefinition, types.UnmapsPagesAttribute)
        || (method.Name == Names.Disposable.Dispose && method.Parameters.Length == 0 && method.ContainingType.SpecialType == SpecialType.System_IDisposable);

    public override IOperation? UseAt(IOperation node, Tracked tracked) =>
        node is IPropertyReferenceOperation { Property.Name: Names.PageMapping.Span } span && tracked.Is(OperationShape.Unwrap(span.Instance)) ? span : null;

    /// <summary><c>m.Span</c>, or a slice or range of it.</summary>
    public override bool IsView(IOperation? value, Tracked tracked)
    {
        for (value = OperationShape.Unwrap(value); value is not null; value = OperationShape.Unwrap(value))
        {
            switch (value)
            {
                case IPropertyReferenceOperation { Property.Name: Names.PageMapping.Span } span when tracked.Is(OperationShape.Unwrap(span.Instance)):
                    return true;
                case ILocalReferenceOperation local:
                    return tracked.IsViewLocal(local);
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice } slice when slice.Instance is not null:
                    value = slice.Instance;
                    break;
                case IImplicitIndexerReferenceOperation range when FrameworkTypes.IsSpan(range.Type):
                    value = range.Instance;
                    break;
                default:
                    return false;
            }
        }
        return false;
    }

    public override bool TakesOwnership(IArgumentOperation argument, Tracked tracked) =>
        base.TakesOwnership(argument, tracked) || argument.Parameter is { } parameter && FoliosTypes.HasAttribute(parameter, Types.UnmapsPagesAttribute);

    /// <summary>On the path where <c>m.IsMapped</c> holds, the mapping is not unmapped, and the other way round.</summary>
    public override bool? HeldWhen(IOperation condition, bool holds, Tracked tracked) =>
        condition is IPropertyReferenceOperation { Property.Name: Names.PageMapping.IsMapped } isMapped && tracked.Is(OperationShape.Unwrap(isMapped.Instance)) ? holds : null;

    /// <summary>An extent buffer's map depends on the buffer (only its Dispose frees the pages; an allocator's tears everything down); a map of folios on the folios given.</summary>
    public override IEnumerable<ISymbol> DependsOn(IInvocationOperation acquisition)
    {
        if (acquisition.TargetMethod.ContainingType is { Name: Names.ExtentBuffer.TypeName, ContainingNamespace.Name: Names.Runtime.Namespace }
            && OperationShape.VariableOf(acquisition.Instance) is { } buffer)
            yield return buffer;
        if (acquisition.Arguments.Length != 1)
            yield break;
        var pages = OperationShape.Unwrap(acquisition.Arguments[0].Value);
        if (OperationShape.VariableOf(pages) is { } whole)
            yield return whole;
        foreach (var element in pages?.Descendants() ?? [])
        {
            if (OperationShape.VariableOf(element) is { } listed)
                yield return listed;
        }
    }

    /// <summary>The buffer's Dispose, or Free of one of the folios (or of an element of the array of folios).</summary>
    public override bool Frees(IOperation node, ICollection<ISymbol> dependencies) => node switch
    {
        IInvocationOperation { IsImplicit: false, TargetMethod.Name: Names.Disposable.Dispose, Instance: { } buffer }
            => OperationShape.VariableOf(buffer) is { } disposed && dependencies.Contains(disposed),
        IInvocationOperation { TargetMethod.Name: Names.PageAllocator.Free } free when free.Arguments.Length == 1 => OperationShape.Unwrap(free.Arguments[0].Value) switch
        {
            IArrayElementReferenceOperation element => OperationShape.VariableOf(element.ArrayReference) is { } array && dependencies.Contains(array),
            var other => OperationShape.VariableOf(other) is { } symbol && dependencies.Contains(symbol),
        },
        _ => false,
    };

    public override bool ReleasedByStructure(IInvocationOperation acquisition, IOperation[] listing, bool exceptionLeaksReported, out IInvocationOperation? release) =>
        StructuredRelease.Releases(acquisition, listing, out release);

    public override bool ReleasesNothingElse(IOperation[] listing, List<IInvocationOperation> releases) =>
        StructuredRelease.FreesNothingElse(listing, Types, releases);

    public override bool MayAffect(IOperation node) => node is IInvocationOperation { TargetMethod.Name: Names.PageAllocator.Free or Names.Disposable.Dispose };
}
