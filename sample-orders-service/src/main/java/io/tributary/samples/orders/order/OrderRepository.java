package io.tributary.samples.orders.order;

import java.util.List;
import org.springframework.data.repository.ListCrudRepository;

interface OrderRepository extends ListCrudRepository<Order, String> {

    List<Order> findAllByOrderByCreatedAtDesc();
}
