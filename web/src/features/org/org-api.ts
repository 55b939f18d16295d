import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CategoryAdmin, CategoryCreate, CategoryUpdate, DepartmentAdmin, DepartmentCreate, DepartmentUpdate, EditorChangePage } from '../../../../core/contracts/editors';
import { api } from '../../api/client';
import { keys } from '../../api/queries';

const departmentsKey = ['admin', 'departments'] as const;
const categoriesKey = ['admin', 'categories'] as const;
const historyKey = ['admin', 'editor-changes'] as const;

/** 변경 이력 (admin): the editors' changes, newest first, 20 at a time (더 보기 reads the next page by its cursor). */
export function useEditorChanges() {
  return useInfiniteQuery({
    queryKey: historyKey,
    queryFn: ({ pageParam }) => api<EditorChangePage>(`/api/admin/editor-changes?limit=20${pageParam ? `&before=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** 부서 관리 (admin): every department with its counts. */
export function useAdminDepartments() {
  return useQuery({ queryKey: departmentsKey, queryFn: () => api<{ items: DepartmentAdmin[] }>('/api/admin/departments') });
}

/** 상담 분류 관리 (admin): the whole tree, active or not, with deadline examples. */
export function useAdminCategories() {
  return useQuery({ queryKey: categoriesKey, queryFn: () => api<{ items: CategoryAdmin[] }>('/api/admin/categories') });
}

/** Every change refreshes both editors and the pickers every screen reads (departments, categories). */
function useRefreshing<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      for (const key of [departmentsKey, categoriesKey, historyKey, keys.departments, keys.categories]) void client.invalidateQueries({ queryKey: key });
    },
  });
}

export function useSaveDepartment() {
  return useRefreshing(({ id, body }: { id: string | null; body: DepartmentCreate | DepartmentUpdate }) =>
    id ? api<DepartmentAdmin>(`/api/admin/departments/${id}`, { method: 'PUT', body }) : api<DepartmentAdmin>('/api/admin/departments', { body }),
  );
}

export function useDeleteDepartment() {
  return useRefreshing((id: string) => api<null>(`/api/admin/departments/${id}`, { method: 'DELETE' }));
}

export function useSaveCategory() {
  return useRefreshing(({ id, body }: { id: string | null; body: CategoryCreate | CategoryUpdate }) =>
    id ? api<CategoryAdmin>(`/api/admin/categories/${id}`, { method: 'PUT', body }) : api<CategoryAdmin>('/api/admin/categories', { body }),
  );
}
