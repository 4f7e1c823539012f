package io.tributary.samples.payments.payment;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

interface PaymentRepository extends ListCrudRepository<Payment, String> {

    List<Payment> findAllByOrderByProcessedAtDesc();

    Optional<Payment> findByOrderId(String orderId);

    boolean existsByOrderId(String orderId);
}
