import { useRouter } from '../../route';
import '../../components/operations/operations.css';
import './operations.css';
import { OperationDetail } from './OperationDetail';
import { OperationList } from './OperationList';

/** Operations: the list (`?view=operations`), or one operation (`&op=<id>`). */
export default function OperationsPage() {
  const { route } = useRouter();
  const op = Number(route.params.get('op'));
  if (Number.isInteger(op) && op > 0) return <OperationDetail key={op} id={op} />;
  return <OperationList />;
}
